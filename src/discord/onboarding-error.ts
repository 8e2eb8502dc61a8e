// A Discord set-up mistake the operator can fix from the message alone (kept free of discord.js, so the
// CLI's error handling can know it without loading the Discord library).
export class OnboardingError extends Error {
  override name = 'OnboardingError';
  constructor(
    message: string,
    readonly code?: number,
  ) {
    super(message);
  }
}
