// A small general lexicon of how people type English in chat: contractions without their apostrophe and the
// common shorthand of messaging. Nothing here comes from the eval questions or the story; the names readers
// shorten ("nk") are derived from the articles instead (vocabulary.ts).

// Maps, not objects: "constructor" typed in a question is a word, not a key of Object.prototype.

/** Contractions typed without the apostrophe. Only forms that are not words themselves ("its", "were", "well" are). */
export const CONTRACTIONS: ReadonlyMap<string, string> = new Map(
  (
    "whats what's|whos who's|wheres where's|whens when's|hows how's|whys why's|thats that's|theres there's|heres here's|" +
    "whatd what'd|whod who'd|whered where'd|whend when'd|howd how'd|whyd why'd|" +
    "isnt isn't|arent aren't|wasnt wasn't|werent weren't|dont don't|doesnt doesn't|didnt didn't|cant can't|couldnt couldn't|" +
    "wont won't|wouldnt wouldn't|shouldnt shouldn't|hasnt hasn't|havent haven't|hadnt hadn't|mustnt mustn't|neednt needn't|" +
    "theyd they'd|theyre they're|theyve they've|theyll they'll|youre you're|youve you've|youd you'd|youll you'll|" +
    "im I'm|ive I've|weve we've|hed he'd|shed she'd|itd it'd|wouldve would've|couldve could've|shouldve should've|lets let's"
  )
    .split('|')
    .map((pair) => pair.split(' ') as [string, string]),
);

/** Messaging shorthand and clipped spellings, each with what it stands for. */
export const SHORTHAND: ReadonlyMap<string, string> = new Map(
  Object.entries({
    u: 'you',
    ur: 'your',
    r: 'are',
    y: 'why',
    b4: 'before',
    'w/': 'with',
    'w/o': 'without',
    wen: 'when',
    wat: 'what',
    wut: 'what',
    wht: 'what',
    whn: 'when',
    wer: 'where',
    whr: 'where',
    hw: 'how',
    hu: 'who',
    bout: 'about',
    abt: 'about',
    bc: 'because',
    bcz: 'because',
    cuz: 'because',
    coz: 'because',
    tho: 'though',
    thru: 'through',
    altho: 'although',
    rn: 'right now',
    atm: 'at the moment',
    asap: 'as soon as possible',
    btw: 'by the way',
    imo: 'in my opinion',
    fyi: 'for your information',
    govt: 'government',
    gov: 'government',
    govts: 'governments',
    pm: 'prime minister',
    pres: 'president',
    prez: 'president',
    intl: 'international',
    natl: 'national',
    dept: 'department',
    ppl: 'people',
    pls: 'please',
    plz: 'please',
    thx: 'thanks',
    ty: 'thank you',
    tysm: 'thank you so much',
    tyvm: 'thank you very much',
    tyia: 'thank you in advance',
    info: 'information',
    pic: 'picture',
    pics: 'pictures',
    yr: 'year',
    yrs: 'years',
    wk: 'week',
    wks: 'weeks',
    hr: 'hour',
    hrs: 'hours',
    mins: 'minutes',
    tmrw: 'tomorrow',
    tmr: 'tomorrow',
    tdy: 'today',
    yday: 'yesterday',
    nite: 'night',
    tonite: 'tonight',
    ystrdy: 'yesterday',
    agreemnt: 'agreement',
    diff: 'difference',
    approx: 'approximately',
    esp: 'especially',
    nuke: 'nuclear weapon',
    nukes: 'nuclear weapons',
    msg: 'message',
    convo: 'conversation',
    ammo: 'ammunition',
    pov: 'point of view',
    'b/c': 'because',
    cos: 'because',
    w: 'with',
    amb: 'ambassador',
    // News desks' own shorthand, as readers of the news type it.
    fm: 'foreign minister',
    mofa: 'foreign ministry',
    'sec-gen': 'secretary-general',
    secgen: 'secretary-general',
    mou: 'memorandum of understanding',
    presser: 'press conference',
    re: 'about',
    da: 'the',
    dat: 'that',
    dis: 'this',
    frm: 'from',
    rly: 'really',
    srsly: 'seriously',
    bcuz: 'because',
    becuz: 'because',
    yall: 'you all',
    sth: 'something',
    smth: 'something',
    // Spoken contractions: no dictionary knows them, so unread they would count as something the articles never name.
    gonna: 'going to',
    wanna: 'want to',
    gotta: 'got to',
    kinda: 'kind of',
    sorta: 'sort of',
    dunno: "don't know",
    lemme: 'let me',
    gimme: 'give me',
  }),
);

/** How a reader names what the bot has read ("according to the articles", "do your sources say"). */
const ABOUT_THE_ARTICLES = ['the articles', 'the article', 'your articles', 'the sources', 'your sources', 'the news', 'the reports'];

/**
 * Chat that stands before or after a question alike: an aside ("real quick", "ngl"), whom it is said to ("sir"),
 * asking to be told, and naming where to look ("according to the articles, …", "… based on your sources").
 */
const AT_EITHER_END = (
  "real quick|just asking|no cap|ngl|not gonna lie|deadass|istg|sir|madam|ma'am|maam|let me know|please let me know|" +
  'thanks in advance|thank you in advance|please answer|answer me|can you answer|can you answer this|can anyone answer|' +
  ABOUT_THE_ARTICLES.map((a) => `according to ${a}|based on ${a}|in ${a}`).join('|')
).split('|');

/**
 * What people put around a question in chat that is not part of it: a greeting and whom it is addressed to, a way
 * in ("can you tell me", "quick question"), thanks. Written as read (shorthand and contractions expanded: "can u
 * tell me" is "can you tell me"). Dropped only where they stand — the start or the end — since in the middle the
 * same words may be the question's own. Not "so", "and", "but": a stopword anyway, and how a follow-up says it
 * points back ("so japan?").
 */
export const CHAT_OPENINGS = (
  'hi|hey|hello|hiya|heya|howdy|yo|sup|wassup|dear|thanks|thank you|thanks a lot|ok|okay|alright|well|anyway|anyways|like|oh|ah|um|uh|hmm|please|' +
  'sorry|excuse me|by the way|honestly|seriously|genuinely|question|quick question|quick q|one more question|another question|just curious|' +
  "curious|just wondering|wondering|i wonder|i was wondering|i am wondering|i'm wondering|tell me|" +
  'please tell me|can you tell me|could you tell me|would you tell me|can you please tell me|' +
  'could you please tell me|do you know|does anyone know|does anybody know|anyone know|i want to know|' +
  "i would like to know|i'd like to know|i need to know|q|remind me|can you remind me|could you remind me|please remind me|" +
  'good morning|good afternoon|good evening|gm|yeah|ya|yep|yes|nvm|never mind|jk|wait|iirc|afaik|if i remember correctly|as far as i know|' +
  // Asking for the gist is asking what the articles say of it: "summarize the deal" asks of the deal.
  'summarize|summarise|sum up|summary of|a summary of|give me a summary of|can you summarize|tldr|tl dr|tldr of|tl dr of|' +
  'eli5|explain like i am five|overview of|an overview of|give me an overview of|key points of|the key points of|' +
  'what are the key points of|main points of|what are the main points of|tell me more about|more about|' +
  "what's the backstory of|the backstory of|backstory of|what's the background of|the background of|background on|" +
  "what's the context of|context on|" +
  // Asking for news of a topic asks of the topic ("updates", "latest" are words of chat, not of the reports).
  "any updates on|any update on|updates on|update on|any news on|any news about|news on|what's the latest on|" +
  "the latest on|latest on|anything new on|what's new with|what's new on|" +
  // What a reader believes, before the claim they want checked: the claim is the question.
  'i think|i think that|i believe|i believe that|i heard|i heard that|i read|i read that|someone said|someone said that|' +
  "someone told me|apparently|did i hear right that|am i right that|am i right in thinking that|correct me if i'm wrong but|" +
  // Asking to be answered, or excusing the question: about the asking, not the story.
  'answer this|help|help me|' +
  'sorry if this was asked before|sorry if this has been asked|sorry if this is a dumb question|this might be a dumb question|' +
  'dumb question|stupid question|silly question|noob question|newbie here|new here|' +
  'tbf|to be fair|ofc|of course|imho|in my humble opinion|in my opinion|ikr|' +
  // "like" as filler after a word that joins the message to what came before ("ok so like what did…"). The joining
  // word alone stays: a follow-up reads it ("and japan?").
  'so like|and like|but like|' +
  // Asking to be helped to understand, or to have it explained, is asking the question.
  'help me understand|can you help me understand|could you help me understand|if you could help me understand|' +
  'if you could tell me|if you can tell me|if you could explain|can you explain|could you explain|please explain|explain|' +
  "i want to understand|i would like to understand|i'd like to understand|i hope you are doing well|hope you are doing well|" +
  'i hope you are well|hope you are well|i hope this is ok|hope this is ok|genuinely asking|honestly asking|i mean|' +
  'basically|so basically|literally|essentially|' +
  // Asking what the articles say is asking the question: "articles", "sources", "news" are words of the asking, and
  // "article" would match "Article 4" of a treaty.
  `${ABOUT_THE_ARTICLES.map((a) => `from ${a}|do ${a} say|do ${a} mention|what do ${a} say about`).join('|')}|` +
  'does any article mention|does any article say|do any articles say|do any of the articles say|is there anything on|' +
  'is there anything about|anything on|anything about|is there any news on|is there any news about|' +
  'any idea|any ideas|got any idea|have any idea|do you have any idea|does anyone have any idea|no idea but|' +
  'would you happen to know|do you happen to know|you happen to know|does anyone happen to know|' +
  'anybody know|does anybody know|somebody know|someone know|does someone know|question for the bot|question for you|bot|edit|' +
  'follow up|followup|follow-up|random q|random question|serious question|honest question|dumb q|quick one|' +
  "to whom it may concern|greetings|good day|what's up|what's up with|morning all|morning everyone|evening all|evening everyone|" +
  // Slang that frames what is said ("lowkey", "ngl": not gonna lie); as the question's last word "lowkey" may be its own.
  'lowkey|low-key|highkey|i swear|real talk|kindly|do tell|please do tell'
)
  .split('|')
  .concat(AT_EITHER_END, askingAnyone());

/** Asking anyone at all to tell or explain ("can someone explain …", "somebody pls tell me …"), as a reader asks a channel. */
function askingAnyone(): string[] {
  const asking = ['', 'can ', 'could ', 'would ', 'will '];
  const anyone = ['someone', 'somebody', 'anyone', 'anybody'];
  const tell = ['tell me', 'explain', 'please tell me', 'please explain', 'explain to me'];
  return asking.flatMap((a) => anyone.flatMap((who) => tell.map((t) => `${a}${who} ${t}`)));
}

/** Whom a greeting is said to: "hey bot, …", "hi all, …". */
export const CHAT_ADDRESSES = 'bot there guys all everyone everybody folks team friend friends bro dude mate'.split(' ');
const GREETINGS = new Set(['hi', 'hey', 'hello', 'hiya', 'heya', 'howdy', 'yo', 'sup', 'wassup', 'dear']);
export const isGreeting = (word: string): boolean => GREETINGS.has(word);

/** Said after the question. Only forms of address that are never a question's last word ("who was there"). */
export const CHAT_CLOSINGS = (
  'please|thanks|thank you|thanks a lot|cheers|by the way|' +
  'just curious|just wondering|as soon as possible|asking for a friend|if you know|if anyone knows|bro|' +
  "dude|guys|folks|mate|i forgot|i forget|i can't remember|i cannot remember|i don't remember|i do not remember|" +
  'thank you so much|thank you very much|thanks so much|thanks very much|ok bye|bye bye|thanks bye|ok thanks|ok thanks bye|xx|xoxo|' +
  'asking for my class|asking for class|asking for school|asking for homework|for a school project|for my school project|for homework|for my homework|' +
  'fr|for real|iirc|afaik|jk|tldr|tl dr|eli5|in a nutshell|please and thank you|please and thanks|and thank you|and thanks|' +
  'please respond|if possible|lmk|please lmk|ikr|' +
  // A vague ending ("or something", "and stuff": what a speaker adds when unsure how to finish), an aside on the asking.
  'or something|or whatever|or anything|and stuff|and everything|and all that|and so on|' +
  "quick question|though|anyway|anyways|i'm confused|i am confused|i'm lost|i am lost|" +
  'please help|help please|help me|need help|i need help|urgent|' +
  // Excusing the typing, or asking to have it checked.
  'sorry for my english|sorry for bad english|sorry for my bad english|sorry for my poor english|sorry for typos|' +
  "sorry for the typos|sorry for any typos|sorry for my spelling|english isn't my first language|english is not my first language|" +
  'if that makes sense|if this makes sense|hope that makes sense|hope this makes sense|does that make sense|' +
  'can you check|can you confirm|please confirm|can you verify|please verify|or am i wrong|or am i misremembering|' +
  'or nah|or no|or not|yes or no|if anything|many thanks|' +
  'thanks a bunch|thanks a ton|thanks heaps|appreciate it|i appreciate it|much appreciated|buddy|pal|my dude|fam|my friend|my man|' +
  'just checking|just want to make sure|i just want to make sure|want to double check|just double checking|double checking|' +
  "asking because i forgot|asking because i was curious|asking because i'm curious|asking because i am curious|" +
  'ta|ta very much|much obliged|if you can|if anyone can|if anyone can help|if someone can help|' +
  'if anyone has the information|if anyone has the answer|' +
  "for my essay|for an essay|for my article|for an article|for a paper|for my paper|for a story i'm writing|for my story|" +
  'for a piece|for my thesis|for my research|for research|for class|for my class'
)
  .split('|')
  .concat(AT_EITHER_END);

/** Laughter and reactions typed anywhere, in any length ("lol", "lmaooo", "hahaha", "xD", "smh"): never asked about. */
export const CHAT_REACTION =
  /^(?:l+o+l+[lo]*|l+m+f*a+o+|r+o+f+l+(?:m+a+o+)?|a?(?:h+a+){2,}h*|(?:h+e+){2,}h*|x+d+|o+m+g+|s+m+h+|n+g+l+|t+b+h+|i+d+k+|b+r+u+h+|w+t+f+|o+m+f+g+|u+g+h+|h+m{2,}|u+m+|u+h+|e+r+m+)$/;

/**
 * Words a sentence that asks opens with, as read ("wen" is "when", "whats" is "what is"): question words and the
 * verbs of a yes/no question. How a question typed without its question mark is told from a statement beside it.
 */
export const ASKING_OPENERS = new Set(
  'who whom whose what when where why how which is are was were do does did can could will would should has have had'.split(' '),
);

/**
 * Questions about the bot, not the story ("what can you do", "who made you"): asked whole, they get the prompt for a
 * question with examples, as chat alone does, not a quote that happens to share a word ("what sources do you use"
 * quoted "…has been a source of concern"). Written as read.
 */
export const ABOUT_THE_BOT = new Set(
  (
    'what can you do|what do you do|how do you work|how does this work|how does it work|what are you|who are you|' +
    "what is this|what's this|what is this bot|what's this bot|what is this bot for|what's this bot for|what is this for|" +
    'are you a bot|are you an ai|are you ai|are you human|are you real|are you a person|who made you|who built you|' +
    "who created you|who wrote you|who programmed you|what is your name|what's your name|what sources do you use|" +
    'what sources do you have|which sources do you use|what articles do you have|which articles do you have|' +
    'how many articles do you have|what do you know|what do you know about|what can i ask|what can i ask you|' +
    'what should i ask|what should i ask you|how do i use this|how do i use you'
  ).split('|'),
);
