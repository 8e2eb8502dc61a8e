// How questions typed in chat are read as meant: real WordNet, vocabularies built from real text.
import { describe, expect, it } from 'vitest';
import { askingSentences } from '../src/question/asking-sentence.js';
import { withoutChatFrame } from '../src/question/chat-frame.js';
import { readQuestion } from '../src/question/reading.js';
import { buildVocabulary, editDistance, parseWordTallies, tallyWords, vocabularyFrom } from '../src/question/vocabulary.js';
import { thesaurus } from '../src/retrieve/thesaurus.js';

const articles = [
  'North Korea and Russia signed a treaty. North Korea sent troops, South Korea said. Zelensky said North Korea sent 11,000 troops.',
  'The Federation Council ratified it. President Putin met Kim in Pyongyang, and North Korean media reported the visit.',
];
const vocabulary = buildVocabulary(articles);
const read = (q: string) => readQuestion(q, vocabulary, (w) => thesaurus().isWord(w)).readAs;

describe('reading a question as meant', () => {
  it('restores apostrophes, expands shorthand and the initials of names the articles use, fixes typos of their words', () => {
    expect(read('whats the treaty')).toBe("what's the treaty");
    expect(read('wen did u see it rn')).toBe('when did you see it right now');
    expect(read('what did putin say b4 he left')).toBe('what did putin say before he left');
    expect(read('how many troops did nk send')).toBe('how many troops did North Korea send');
    expect(read('is russia gonna help nk')).toBe('is russia going to help North Korea');
    expect(read('what did putin n kim sign')).toBe('what did putin and kim sign');
    expect(read('what did n korea send')).toBe('what did North korea send');
    expect(read('what did zelenksy say')).toBe('what did zelensky say');
    expect(read('did putin meet w kim b/c of the treaty')).toBe('did putin meet with kim because of the treaty');
    // A short function word with two letters swapped ("hwo many" is how, not who).
    expect(read('what did teh council say adn when')).toBe('what did the council say and when');
    expect(read('hwo many troops were sent')).toBe('how many troops were sent');
    expect(read('did nk send 11k troops or 10K')).toBe('did North Korea send 11,000 troops or 10,000');
    expect(read('what did the N.K. leader say')).toBe('what did the North Korea leader say');
    expect(read('when was their 2nd summit')).toBe('when was their second summit');
    expect(read('how many troops were sent 2 Russia')).toBe('how many troops were sent to Russia');
    expect(read('were 2 troops sent on the 19th')).toBeNull(); // a number before a common word, a date past the ninth
    // Letters drawn out for emphasis: read as two when that is a word, else as one.
    expect(read('whaaat did putin sayyy')).toBe('what did putin say');
    expect(read('soooo who signed it')).toBe('so who signed it');
    expect(read('was it a gooood treaty')).toBe('was it a good treaty');
    expect(read('whaaats the treaty')).toBe("what's the treaty");
    expect(read('what did Henry VIII sign')).toBeNull();
    // Typed all in capitals or with every word capitalised, a capital tells nothing: shorthand is read as in lower case.
    expect(read('WHO IS THE JAPANESE GOVT SPOKESMAN')).toBe('who is the japanese government spokesman');
    expect(read('Who Went W Putin To Pyongyang')).toBe('who went with putin to pyongyang');
    expect(read('WHAT DID NK SEND')).toBe('what did North Korea send');
    // Elsewhere a capital may make a name: "PM", "U" stay as typed.
    expect(read('what did the PM say')).toBeNull();
    // "da" is "the" in chat, unless the articles write it ("Lula da Silva").
    expect(read('wat did da council say abt dat')).toBe('what did the council say about that');
    // The news's own shorthand, unless the articles write it as a word of theirs.
    expect(read('what did the fm say re the vote at the presser')).toBe('what did the foreign minister say about the vote at the press conference');
    expect(read('when was the mou signed')).toBe('when was the memorandum of understanding signed');
    expect(read('whr did putin stay')).toBe('where did putin stay');
    expect(read('whatd kim call the treaty')).toBe("what'd kim call the treaty");
    // Two words run together, each a word of the articles, a function word or a name's initials; a slip stays a slip.
    expect(read('how didputin describe the treaty')).toBe('how did putin describe the treaty');
    expect(read('what did putin say of thetreaty')).toBe('what did putin say of the treaty');
    expect(read('what did puttin sign')).toBe('what did putin sign');
    expect(read("what was north korea'sreply")).toBe("what was north korea's reply");
    // Capitals at random tell nothing; one name with a capital inside still does.
    expect(read('WHo Is the jaPanESe GOVt spokesman')).toBe('who is the japanese government spokesman');
    expect(read('what did McCain say')).toBe(null);
    const named = buildVocabulary(['Brazil’s president, Lula da Silva, met Putin.']);
    expect(readQuestion('what did lula da silva say', named, (w) => thesaurus().isWord(w)).readAs).toBeNull();
  });

  it('reads a word typed whole that the articles write apart, or hyphenated where they write it whole, as they write it', () => {
    const written = buildVocabulary([
      'The treaty has a non-aggression clause and calls for military cooperation.',
      'Putin met Kim Jong Un. He saw Kim Jong Un twice, and Kim Jong Un left.',
    ]);
    const readIn = (q: string) => readQuestion(q, written, (w) => thesaurus().isWord(w)).readAs;
    // "nonaggression" is in the dictionary, but the index holds "non" and "aggression".
    expect(readIn('what is the nonaggression clause')).toBe('what is the non-aggression clause');
    expect(readIn('what about military co-operation')).toBe('what about military cooperation');
    expect(readIn('what did kimjongun say')).toBe('what did Kim Jong Un say');
    expect(readIn('is there a non-aggression clause')).toBeNull();
    expect(readIn('what about co-workers')).toBeNull(); // written apart nowhere in the articles: as typed
    // A mistyped word of a name, read with its neighbours (a short one too), and a dictionary word with two letters swapped.
    expect(readIn('what did kim jon un say')).toBe('what did kim Jong un say');
    expect(readIn('did they recieve the clause')).toBe('did they receive the clause');
    expect(readIn('did kim jam say')).toBeNull(); // "jam" is a word
  });

  it('reads a typo as the word that starts with the letter typed, and a mistyped function word as that word', () => {
    const written = buildVocabulary(['Russia did not arrest them. They rest in the eastern and western regions. A remark, a mark.']);
    const readIn = (q: string) => readQuestion(q, written, (w) => thesaurus().isWord(w)).readAs;
    // One edit from two words of the articles: a slip rarely hits the first letter.
    expect(readIn('did russia arest them')).toBe('did russia arrest them');
    expect(readIn('what about the estern regions')).toBe('what about the eastern regions');
    expect(readIn('what was his rmark')).toBe('what was his remark');
    // A function word the articles never use, one edit away and only one: read as it, not as a word they lack.
    expect(readIn('who came besdes them')).toBe('who came besides them');
    expect(readIn('what is thier remark')).toBe('what is their remark');
    expect(readIn('why becuase of the remark')).toBe('why because of the remark');
    // A common word the articles never use, one edit away, from six letters: the one, or the one starting as typed.
    const common = (w: string) => ['times', 'describe', 'scribe', 'ascribe', 'starter'].includes(w);
    const readCommon = (q: string) => readQuestion(q, written, (w) => thesaurus().isWord(w), common).readAs;
    expect(readCommon('how many tiimes did they meet')).toBe('how many times did they meet');
    expect(readCommon('how did they dscribe it')).toBe('how did they describe it');
    expect(readCommon('what did Starmer say')).toBeNull(); // typed with a capital: a name
  });

  it('reads no name the articles lack as a word of theirs after its first letter ("iphone"), nor as two words they lack ("snapchat")', () => {
    const written = buildVocabulary(['The two spoke by phone. They used the phone twice. A bay, the bay.']);
    const readIn = (q: string) =>
      readQuestion(
        q,
        written,
        (w) => thesaurus().isWord(w),
        (w) => ['phone', 'bay'].includes(w),
      ).readAs;
    expect(readIn('when does the next iphone come out')).toBeNull();
    expect(readIn('what did they sell on ebay')).toBeNull();
    // Nor as two words the articles never use: "snap chat" would read a name they lack as two words they lack.
    expect(readIn('is he on snapchat')).toBeNull();
    expect(readIn('what did they use the phonetwice for')).toBe('what did they use the phone twice for');
    expect(readIn('did they speak by phoone')).toBe('did they speak by phone'); // a slip inside the word is read
    expect(readIn('did they speak by pphone')).toBe('did they speak by phone'); // and the first letter typed twice
    // A slip at the first letter is still read: "ohone" is phone.
    expect(readIn('who got the ohone')).toBe('who got the phone');
  });

  it('reads a word typed with a capital past the start as a name: only as a name of the articles, never as their word', () => {
    const written = buildVocabulary([
      'They take the main road. Then Zelensky spoke, so Zelensky left, and Zelensky came back to take the son home.',
      'A pear, a son.',
    ]);
    const readIn = (q: string) => readQuestion(q, written, (w) => thesaurus().isWord(w)).readAs;
    expect(readIn('what did Jake say')).toBeNull();
    expect(readIn('where did Marin build')).toBeNull();
    expect(readIn('what did Pearson give')).toBeNull();
    expect(readIn('what did Zelenksy say')).toBe('what did zelensky say');
    expect(readIn('what did they tkae')).toBe('what did they take'); // typed in lower case, a slip as before
  });

  it('reads shorthand joined by a hyphen part by part ("nk-ru ties"), and leaves a hyphenated word of the articles as it is', () => {
    const named = buildVocabulary(['North Korea and Russia met. North Korea said yes, North Korea left. Adviser Chang Ho-jin spoke. Chang Ho-jin left.']);
    const readIn = (q: string) => readQuestion(q, named, (w) => thesaurus().isWord(w)).readAs;
    expect(readIn('is the nk-ru partnership permanent')).toBe('is the North Korea-Russia partnership permanent');
    expect(readIn('what about ru-nk security ties')).toBe('what about Russia-North Korea security ties');
    // Only as names: "re" is shorthand for "about", but "re-branded" is a word; a longer part is a name's own.
    for (const typed of ['what did ho-jin say', 'was it a well-known plan', 'what about north-south talks', 'was it re-branded', 'who is al-norh'])
      expect(readIn(typed), typed).toBeNull();
  });

  it('reads a letter that starts a two-word name the articles use with the next word as that name ("s korea", "N. Korea")', () => {
    const named = buildVocabulary([
      'North Korea and South Korea met. Later, South Korea said no and North Korea said yes, so South Korea left and North Korea stayed.',
    ]);
    const readIn = (q: string) => readQuestion(q, named, (w) => thesaurus().isWord(w)).readAs;
    expect(readIn('what did s korea say')).toBe('what did South korea say');
    expect(readIn('did the s korean president comment')).toBe('did the South korean president comment');
    expect(readIn('what did N. Korea send')).toBe('what did North Korea send');
    expect(readIn('what did putin n kim sign')).toBe('what did putin and kim sign');
    for (const typed of ['what is plan b', 'did s say no', 'was it a korean deal', 'what did x korea say']) expect(readIn(typed), typed).toBeNull();
  });

  it('reads an amount typed in chat as news writes it, a bare "m" or "b" only after a currency sign', () => {
    expect(read('how much is $24.5bn')).toBe('how much is $24.5 billion');
    expect(read('a $5m deal for 5mn shells')).toBe('a $5 million deal for 5 million shells');
    expect(read('aid worth €2b')).toBe('aid worth €2 billion');
    for (const typed of ['a 5m wall', 'was it 1.5k troops', 'flat 5b']) expect(read(typed), typed).toBeNull();
    // A time of day typed whole, as news writes it ("2 a.m.": the articles' "a.m." is no term, "2am" was one they lack).
    expect(read('did putin land at 2am or 2:22AM')).toBe('did putin land at 2 a.m. or 2:22 a.m.');
    expect(read('the vote at 5 pm')).toBeNull();
  });

  it("reads a possessive as its word is read, and a country's code as the name the articles use for it", () => {
    const named = buildVocabulary([
      'North Korea sent troops to Russia, North Korea said, and North Korea denied it. Ukraine and the Democratic People’s Republic of Korea.',
      'Photo: TASS / kremlin.ru. China said nothing. It was a de facto alliance.',
    ]);
    const readIn = (q: string) => readQuestion(q, named, (w) => thesaurus().isWord(w)).readAs;
    expect(readIn("what did nk's leader say")).toBe("what did North Korea's leader say");
    expect(readIn('zelenksy’s reaction')).toBeNull(); // not a word of these articles: nothing to correct it to
    // "ru" only in a domain is no word of the articles; the dictionary's "Ru" (ruthenium) does not stop it.
    expect(readIn('how many nk troops in ru')).toBe('how many North Korea troops in Russia');
    expect(readIn('did UA say anything')).toBe('did Ukraine say anything');
    expect(readIn('what did prk and cn say')).toBe('what did North Korea and China say');
    // Words the articles use, countries they never name, codes that are words.
    for (const typed of ['is it a de facto alliance', 'what did fr say', 'did the us say', 'what about jam', 'is it ok'])
      expect(readIn(typed), typed).toBeNull();
  });

  it('reads a date typed in digits as news writes it, only when it can be one date', () => {
    expect(read('what was signed on 6/19')).toBe('what was signed on June 19');
    expect(read('what was signed on 19/6/2024')).toBe('what was signed on 19 June 2024');
    expect(read('what happened on 2024-06-19')).toBe('what happened on June 19, 2024');
    expect(read('what happened 6/19/24')).toBe('what happened June 19, 2024');
    // June 7 or 6 July; a day no month has; not dates at all.
    // A day of a month stays a number, unlike "2nd summit".
    expect(read('what happened on the 7th of november or nov 2nd')).toBeNull();
    for (const typed of ['what happened on 6/7', 'what happened on 2/30', 'since 9/11', 'they work 24/7', 'a 50/50 chance', 'on 2024-13-01'])
      expect(read(typed), typed).toBeNull();
  });

  it('changes nothing the articles or the dictionary know, nor a time of day', () => {
    expect(read('What did Putin say?')).toBeNull();
    expect(read('the vote at 5 pm')).toBeNull();
    expect(read('did the US send troops')).toBeNull(); // capitalised: a name, not shorthand
    expect(read('how did the u.s. react')).toBeNull(); // an initialism: its "u" is not shorthand for "you"
    expect(read('how did the u.s react')).toBeNull(); // typed without its last dot, too (was "the you s")
    expect(read('what did the u.n say')).toBeNull();
    // Words that name parts of every JavaScript object are words (regression: "constructor" threw in the reading).
    expect(read('what is a constructor')).toBeNull();
    expect(withoutChatFrame('constructor __proto__?')).toBe('constructor __proto__?');
  });

  it('reads the same from tallies stored per segment (as the index keeps them) as from the texts at once', () => {
    const stored = articles.map((text) => parseWordTallies(JSON.stringify(tallyWords([text]))));
    const merged = vocabularyFrom(stored);
    for (const word of ['north', 'korea', 'troops', 'putin', 'zelensky', 'nothing', 'constructor'])
      expect([merged.count(word), merged.capitalShare(word)]).toEqual([vocabulary.count(word), vocabulary.capitalShare(word)]);
    expect(merged.count('korea')).toBe(4);
    expect(merged.expand('nk')).toBe('North Korea');
    expect(merged.near('zelenksy', 2)).toEqual(vocabulary.near('zelenksy', 2));
    expect(() => parseWordTallies('[1, 2]')).toThrow(/not word tallies/);
  });

  it('measures edits with a swap as one edit and stops past the limit', () => {
    expect(editDistance('zelenksy', 'zelensky', 2)).toBe(1);
    expect(editDistance('putin', 'pushkin', 1)).toBe(2);
  });

  it('sets aside the chat around a question: greetings and whom they address, ways in, thanks, laughter', () => {
    expect(withoutChatFrame('What did Kim call Putin? lol')).toBe('What did Kim call Putin?');
    expect(withoutChatFrame('hey bot, what did kim call putin?? lmaooo')).toBe('what did kim call putin?');
    expect(withoutChatFrame('Hi all, when was the treaty signed?')).toBe('when was the treaty signed?');
    expect(withoutChatFrame('can u tell me what putin gave kim pls')).toBe('what putin gave kim');
    expect(withoutChatFrame('im wondering who signed it, thx!')).toBe('who signed it');
    expect(withoutChatFrame('quick question: how many troops were sent, bro?')).toBe('how many troops were sent?');
    expect(withoutChatFrame('ok so what did putin say about the 11,000 troops? xD')).toBe('so what did putin say about the 11,000 troops?');
    expect(withoutChatFrame('ok so like what did putin say about the 11,000 troops? xD')).toBe('what did putin say about the 11,000 troops?');
    expect(withoutChatFrame('what did kim say hahaha and why')).toBe('what did kim say and why');
    expect(withoutChatFrame('Q: what did kim call putin')).toBe('what did kim call putin');
    expect(withoutChatFrame('heyyy bot what did kim call putin thanksss')).toBe('what did kim call putin');
    expect(withoutChatFrame('gm, who signed the treaty tysm')).toBe('who signed the treaty');
    expect(withoutChatFrame('good morning! who signed the treaty xx')).toBe('who signed the treaty');
    expect(withoutChatFrame('who signed the treaty?? ok thx bye')).toBe('who signed the treaty?');
    expect(withoutChatFrame('what did kim call putin (asking for my class)')).toBe('what did kim call putin');
    expect(withoutChatFrame('honestly who signed the treaty')).toBe('who signed the treaty');
    expect(withoutChatFrame('who um signed the treaty uhh')).toBe('who signed the treaty');
    expect(withoutChatFrame('who signed the treaty https://example.com/putin-kim-sign-2024/')).toBe('who signed the treaty');
    expect(withoutChatFrame('what does www.example.com/a say about it? thx')).toBe('what does say about it?');
    expect(withoutChatFrame('https://example.com/putin-kim')).toBe('');
    expect(withoutChatFrame('remind me what kim called putin')).toBe('what kim called putin');
    expect(withoutChatFrame('what did kim call putin, i forgot')).toBe('what did kim call putin');
    expect(withoutChatFrame("what did kim call putin? I can't remember")).toBe('what did kim call putin?');
    // An intensifier after a question word; news of a topic; a claim the reader wants checked.
    expect(withoutChatFrame('what the hell did kim call putin')).toBe('what did kim call putin');
    expect(withoutChatFrame('What on earth is article 4?')).toBe('What is article 4?');
    expect(withoutChatFrame('any updates on the troops?')).toBe('the troops?');
    expect(withoutChatFrame('i heard that kim called putin his dearest friend?')).toBe('kim called putin his dearest friend?');
    expect(withoutChatFrame('who won the world cup in the world')).toBe('who won the world cup in the world');
    // Asking for the gist asks of the topic; "summary" as the question's own word stays.
    expect(withoutChatFrame('can u summarize the treaty')).toBe('the treaty');
    expect(withoutChatFrame('tldr of the treaty?')).toBe('the treaty?');
    expect(withoutChatFrame('what are the key points of the pact? eli5')).toBe('the pact?');
    expect(withoutChatFrame('whats the backstory of the treaty')).toBe('the treaty');
    expect(withoutChatFrame('who wrote the summary of the talks')).toBe('who wrote the summary of the talks');
    expect(withoutChatFrame('tbf what did kim call putin, pls lmk')).toBe('what did kim call putin');
    // Asking to be answered, or excusing the question.
    expect(withoutChatFrame('sorry if this was asked before, who signed the treaty')).toBe('who signed the treaty');
    expect(withoutChatFrame('pls answer: who signed the treaty? answer me')).toBe('who signed the treaty?');
    expect(withoutChatFrame('who signed the treaty pls and thank u')).toBe('who signed the treaty');
    // An emoticon typed on its own; a time or a score is no emoticon.
    expect(withoutChatFrame('what did kim call putin <3 :P o_O')).toBe('what did kim call putin');
    expect(withoutChatFrame(':( why did they sign ;)')).toBe('why did they sign');
    expect(withoutChatFrame('was the score 3:2 at 8:30')).toBe('was the score 3:2 at 8:30');
    // An emoji typed by its name where no client drew it; a time of day keeps its colons.
    expect(withoutChatFrame(':eyes: who signed the treaty :+1::fire:')).toBe('who signed the treaty');
    expect(withoutChatFrame('what happened at 12:30:45')).toBe('what happened at 12:30:45');
    expect(withoutChatFrame('yeah but what did kim call putin fr')).toBe('but what did kim call putin');
    expect(withoutChatFrame('nvm, wtf did kim call putin')).toBe('did kim call putin');
    expect(withoutChatFrame('afaik, who signed the treaty? jk')).toBe('who signed the treaty?');
    // "like" as filler after "so"; a tag asking to have the question confirmed, after a comma at its end.
    expect(withoutChatFrame('ok so like what did kim call putin')).toBe('what did kim call putin');
    expect(withoutChatFrame('and like who signed it?')).toBe('who signed it?');
    expect(withoutChatFrame('and japan?')).toBe('and japan?'); // a follow-up's connector stays for the follow-up to read
    expect(withoutChatFrame('did putin go to hanoi, right?')).toBe('did putin go to hanoi?');
    expect(withoutChatFrame("kim called putin his friend, didn't he?")).toBe('kim called putin his friend?');
    expect(withoutChatFrame('is the treaty still valid, yes or no')).toBe('is the treaty still valid');
    expect(withoutChatFrame('which side was right?')).toBe('which side was right?');
    expect(withoutChatFrame('is it right, or wrong?')).toBe('is it right, or wrong?');
    // A bot command typed as text; asking to be helped to understand.
    expect(withoutChatFrame('/ask what did kim call putin')).toBe('what did kim call putin');
    expect(withoutChatFrame('!ask who signed the treaty?')).toBe('who signed the treaty?');
    expect(withoutChatFrame('/ask')).toBe('');
    expect(withoutChatFrame('could you help me understand what kim called putin')).toBe('what kim called putin');
    expect(withoutChatFrame('can you explain why they signed it')).toBe('why they signed it');
    // A vague ending, an aside on the asking, a list number, a name signed after the question.
    expect(withoutChatFrame('did putin give kim a car or something?')).toBe('did putin give kim a car?');
    expect(withoutChatFrame('what did yoon say about the pact and stuff')).toBe('what did yoon say about the pact');
    expect(withoutChatFrame('what did kim call putin real quick')).toBe('what did kim call putin');
    expect(withoutChatFrame('what did yoon say tho')).toBe('what did yoon say');
    expect(withoutChatFrame('what did yoon say about the pact im confused')).toBe('what did yoon say about the pact');
    expect(withoutChatFrame('i mean, what else did putin give kim')).toBe('what else did putin give kim');
    expect(withoutChatFrame('1) who is putins foreign policy aide')).toBe('who is putins foreign policy aide');
    expect(withoutChatFrame('Q2: who signed it?')).toBe('who signed it?');
    expect(withoutChatFrame('what did kim call the treaty - sarah')).toBe('what did kim call the treaty');
    expect(withoutChatFrame('what did kim call putin? ~j')).toBe('what did kim call putin?');
    expect(withoutChatFrame('what did kim call putin cheers, tom')).toBe('what did kim call putin');
    expect(withoutChatFrame('what did the north-south talks say')).toBe('what did the north-south talks say');
    expect(withoutChatFrame('how many soldiers - 11,000')).toBe('how many soldiers - 11,000');
    expect(withoutChatFrame('2024: what happened')).toBe('2024: what happened');
    expect(withoutChatFrame('can someone explain what kim called putin')).toBe('what kim called putin');
    expect(withoutChatFrame('somebody pls tell me who signed it')).toBe('who signed it');
    // Asking what the articles say ("article" would meet "Article 4"); a purpose; asking for help; filler.
    expect(withoutChatFrame('according to the articles, what did kim call putin')).toBe('what did kim call putin');
    expect(withoutChatFrame('what did kim call putin based on your sources')).toBe('what did kim call putin');
    expect(withoutChatFrame('do the articles say what kim called putin')).toBe('what kim called putin');
    expect(withoutChatFrame('does any article mention whether the aurus is bulletproof')).toBe('whether the aurus is bulletproof');
    expect(withoutChatFrame('what did kim call putin for a story im writing')).toBe('what did kim call putin');
    expect(withoutChatFrame('who signed the treaty pls help')).toBe('who signed the treaty');
    expect(withoutChatFrame('basically who signed the treaty')).toBe('who signed the treaty');
    expect(withoutChatFrame('why did nk send troops, according to choi')).toBe('why did nk send troops, according to choi');
    // Asking the room after the question, an edit note, a handle, excusing the typing, asking to have it checked.
    expect(withoutChatFrame('what plane did putin fly on? anyone?')).toBe('what plane did putin fly on?');
    expect(withoutChatFrame('what did kim call putin? thoughts?')).toBe('what did kim call putin?');
    expect(withoutChatFrame('what did kim call putin *edit: spelling')).toBe('what did kim call putin');
    expect(withoutChatFrame('what did kim call putin (edited)')).toBe('what did kim call putin');
    expect(withoutChatFrame('edit: what did kim call putin')).toBe('what did kim call putin');
    expect(withoutChatFrame('@StoryDesk what did kim call putin')).toBe('what did kim call putin');
    expect(withoutChatFrame('any idea is the aurus bulletproof')).toBe('is the aurus bulletproof');
    expect(withoutChatFrame('was the vote unanimous (sorry for my english)')).toBe('was the vote unanimous');
    expect(withoutChatFrame('what did kim call putin, can you check?')).toBe('what did kim call putin?');
    // Slang that frames what is said; "or nah"; thanks in advance; a follow-up named as one.
    expect(withoutChatFrame('lowkey what did kim call the treaty no cap')).toBe('what did kim call the treaty');
    expect(withoutChatFrame('ngl who is putins foreign policy aide')).toBe('who is putins foreign policy aide');
    expect(withoutChatFrame('did kim claim the treaty is defensive or nah')).toBe('did kim claim the treaty is defensive');
    expect(withoutChatFrame('what did kim call putin tyia')).toBe('what did kim call putin');
    expect(withoutChatFrame('follow up: what else did putin give kim')).toBe('what else did putin give kim');
    // Thanks and whom it is said to, other greetings, making sure.
    expect(withoutChatFrame('what did kim call putin thx a ton buddy')).toBe('what did kim call putin');
    expect(withoutChatFrame('who signed it? much appreciated')).toBe('who signed it?');
    expect(withoutChatFrame('wassup bot, who signed it')).toBe('who signed it');
    expect(withoutChatFrame('to whom it may concern, who signed it')).toBe('who signed it');
    expect(withoutChatFrame('morning all, who signed it')).toBe('who signed it');
    expect(withoutChatFrame('when did putin last visit? asking bc i forgot')).toBe('when did putin last visit?');
    // Politeness as other Englishes write it.
    expect(withoutChatFrame('kindly tell me who signed it')).toBe('who signed it');
    expect(withoutChatFrame('what did kim call putin sir?')).toBe('what did kim call putin?');
    expect(withoutChatFrame('who signed it ta very much')).toBe('who signed it');
    expect(withoutChatFrame('is the aurus bulletproof, if anyone can help')).toBe('is the aurus bulletproof');
    // Asking the room after an ellipsis too, or for help; a tag after the question mark.
    expect(withoutChatFrame('what did kim call putin... any idea?')).toBe('what did kim call putin');
    expect(withoutChatFrame('what did kim call putin? can anyone help?')).toBe('what did kim call putin?');
    expect(withoutChatFrame('did kim call putin a friend? right?')).toBe('did kim call putin a friend?');
    expect(withoutChatFrame('did the treaty help?')).toBe('did the treaty help?');
    // Asking for a yes or no, or for anything at all.
    expect(withoutChatFrame('did they sign it in pyongyang (y/n)')).toBe('did they sign it in pyongyang');
    expect(withoutChatFrame('is the treaty in force yes/no?')).toBe('is the treaty in force?');
    expect(withoutChatFrame('what did china say, if anything')).toBe('what did china say');
    // Thanks in advance and surprise before the question.
    expect(withoutChatFrame('ty in advance! what did kim call putin')).toBe('what did kim call putin');
    expect(withoutChatFrame('wait what, who signed it')).toBe('who signed it');
    expect(withoutChatFrame('wait what did kim call putin')).toBe('what did kim call putin');
    // Asking to be answered, before or after.
    expect(withoutChatFrame('what did kim call putin? can u answer?')).toBe('what did kim call putin?');
    expect(withoutChatFrame('can you answer this: who signed it')).toBe('who signed it');
    // A full stop before chat after the question does not stay; a question mark does.
    expect(withoutChatFrame('who signed it. thanks')).toBe('who signed it');
    expect(withoutChatFrame('who signed it? thanks')).toBe('who signed it?');
    // Nothing but chat: nothing to look up.
    for (const chat of ['thanks!', 'hi', 'hey bot', 'lol', 'thank you']) expect(withoutChatFrame(chat), chat).toBe('');
    // Questions about the bot, not the story: the prompt with examples, not a quote sharing a word ("source").
    for (const meta of ['what can u do?', 'who made you', 'hey bot, what sources do you use?', "what's your name lol"])
      expect(withoutChatFrame(meta), meta).toBe('');
    expect(withoutChatFrame('what did putin tell you about sources')).toBe('what did putin tell you about sources');
  });

  it("keeps the question's own words, even where chat uses the same ones", () => {
    for (const question of [
      'who was there',
      'did it help anyone',
      'who was his friend',
      'can u recommend a good kimchi recipe',
      'does kim like putin',
      'What did Putin say?',
      'Well-known critics of the deal?',
      'did putin say bye',
      'what is the best thing about it',
      'what did they agree on in 2024',
      'did the treaty help',
      'what does article 4 say',
      'can you edit it',
      'was the ceremony lowkey',
      'who was the man',
      'morning of june 19, what happened',
      'what did they say in the evening',
    ])
      expect(withoutChatFrame(question), question).toBe(question);
  });

  it('finds the sentences that ask among statements, with or without their question mark', () => {
    expect(askingSentences('I read about the summit. What did Kim call Putin?')).toEqual(['What did Kim call Putin?']);
    expect(askingSentences('i read about the summit. what did kim call putin')).toEqual(['what did kim call putin']);
    expect(askingSentences('Who signed the treaty? I mean the one with Russia.')).toEqual(['Who signed the treaty?']);
    expect(askingSentences('My teacher mentioned the U.S. troops. How many are in South Korea?')).toEqual(['How many are in South Korea?']);
    expect(askingSentences('So confused!! wen did kim go to russia')).toEqual(['wen did kim go to russia']);
    expect(askingSentences('What did Kim call Putin? What did Putin give Kim?')).toEqual(['What did Kim call Putin?', 'What did Putin give Kim?']);
    // A question that points back is read as typed, and filled from the statements before it as a follow-up is.
    expect(askingSentences('What did Kim call Putin? Was it nice?')).toEqual(['What did Kim call Putin?', 'Was it nice?']);
    expect(askingSentences('Putin visited Pyongyang. What did Kim call him?')).toEqual(['What did Kim call Putin', 'What did Kim call him?']);
    expect(askingSentences('My teacher mentioned Kim Jong Un. What did he give Putin?')).toEqual([
      'What did Kim Jong Un give Putin',
      'What did he give Putin?',
    ]);
    // A statement joined to the question by a comma, colon or "but" is a sentence of its own.
    expect(askingSentences('newbie here, who signed the treaty')).toEqual(['who signed the treaty']);
    expect(askingSentences('sorry if this is dumb but who signed the treaty?')).toEqual(['who signed the treaty?']);
    expect(askingSentences('not sure anyone knows, but who signed the treaty?')).toEqual(['who signed the treaty?']);
    expect(askingSentences('random one: in what city did Putin meet Kim?')).toEqual(['in what city did Putin meet Kim?']);
    // A contraction opens by its first word, typed with its apostrophe or without.
    expect(askingSentences('i forgot but whats in kims car collection')).toEqual(['whats in kims car collection']);
    expect(askingSentences("my teacher asked. Who's the envoy?")).toEqual(["Who's the envoy?"]);
    expect(askingSentences("i read the news, didn't kim sign the treaty")).toEqual(["didn't kim sign the treaty"]);
    // Each sentence without the chat around it: it asks once "I was wondering" is set aside.
    expect(askingSentences("I hope you're doing well. I was wondering if you could help me understand what Kim called Putin")).toEqual([
      'what Kim called Putin',
    ]);
    expect(askingSentences('Thanks. Who signed the treaty?')).toEqual(['Who signed the treaty?']);
    // A letter alone before a full stop is an initial, typed in lower case too; before a question word it ends a sentence.
    expect(askingSentences('i saw the news. what did n. korea get?')).toEqual(['what did n. korea get?']);
    expect(askingSentences('i have a q. who signed the treaty')).toEqual(['who signed the treaty']);
    // A statement joined by "and" to chat that asks: "and" ends it only there ("who signed and when" is one question).
    expect(askingSentences('hey so i was reading about the treaty and i was wondering what did kim call putin')).toEqual(['what did kim call putin']);
    expect(askingSentences('i saw the summit on tv and i want to know what kim called putin')).toEqual(['what kim called putin']);
    expect(askingSentences('sorry if this is dumb but i was wondering who signed the treaty')).toEqual(['who signed the treaty']);
    // A sentence that is only chat never asks, though it ends with a question mark.
    expect(askingSentences('I read the news. any idea?')).toEqual([]);
    expect(askingSentences('who signed the treaty. anyone know?')).toEqual(['who signed the treaty.']);
    // A clause with a subject of its own after the question, set off by a mark, is a statement, as after a "?".
    expect(askingSentences('what did kim call putin - this is about the putin kim treaty')).toEqual(['what did kim call putin']);
    expect(askingSentences("which airport did putin land at, i think it's in pyongyang")).toEqual(['which airport did putin land at']);
    expect(askingSentences('newbie here, what did kim call putin - this is about the treaty')).toEqual(['what did kim call putin']);
    // Hashtags label the topic: before the words, after a mark, or two or more after them.
    expect(askingSentences('#putin #kim who signed the treaty')).toEqual(['who signed the treaty']);
    expect(askingSentences('who signed the treaty? #nk')).toEqual(['who signed the treaty?']);
    expect(askingSentences('who signed the treaty #putin #kim')).toEqual(['who signed the treaty']);
    // So does an aside in brackets after the words.
    expect(askingSentences('what did kim call putin (about the treaty)?')).toEqual(['what did kim call putin']);
  });

  it('finds none in one sentence or among statements only', () => {
    for (const message of [
      'What did Kim call Putin?',
      'Mr. Kim met Mr. Putin in Pyongyang on Wednesday?',
      'what did n. korea get', // was "what did n." and "korea get": the first read "what did and"
      'who signed and when',
      'did putin and kim sign the treaty',
      'kim met putin and who signed the treaty',
      'how did s. korea react to the treaty',
      'I read about the summit. I want to know more.',
      'who signed the treaty, and when?',
      'what does art. 4 say',
      'what did putin say about Ukraine, the war, and sanctions?',
      'what did kim call putin, the leader of russia',
      'what did kim call putin, this year',
      'what did kim say about the #treaty',
      'what does article 4 (mutual defence) say',
    ])
      expect(askingSentences(message), message).toEqual([]);
  });
});
