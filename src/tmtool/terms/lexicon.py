"""Closed-class words of French and English.

Terms are built from open-class words; function words mark where a candidate may start, stop
or be joined. Kept small and hand-written: these lists change once in a decade.
"""

from __future__ import annotations

# Words that may appear inside a multi-word term (joining its parts), never at its ends.
LINKERS: dict[str, frozenset[str]] = {
    # English names are quoted as they are inside French ("Coalition of the Willing")
    "fr": frozenset("de du des d' à au aux en la l' le les pour sur par sans et contre entre "
                    "of the for and".split()),
    "en": frozenset("of for and the on in to against by with from".split()),
}

# Determiners: a word right after one of these is very likely the start of a noun phrase.
DETERMINERS: dict[str, frozenset[str]] = {
    "fr": frozenset(
        "le la les l' un une des du au aux ce cet cette ces son sa ses leur leurs notre nos "
        "votre vos mon ma mes ton ta tes chaque tout toute tous toutes quelque plusieurs "
        "aucun aucune certains certaines".split()
    ),
    "en": frozenset(
        "the a an this that these those its their our your my his her each every any some "
        "no all several such both either neither".split()
    ),
}

_FR_STOP = """
a à afin ai aie aient aies ait alors après as assez au aucun aucune aujourd'hui auquel aussi
autant autre autres aux auxquelles auxquels avaient avais avait avant avec avez aviez avions
avoir avons ayant bien c' ça car ce ceci cela celle celles celui cependant certain certaine
certaines certains ces cet cette ceux chacun chacune chaque chez ci comme comment d' dans de
dehors déjà depuis des dès desquelles desquels dont donc du duquel durant elle elles en encore
entre environ es est et étaient étais était étant été être eu eue eues eurent eus eut eux fait
faire fois font furent fut ici il ils j' je jusqu' jusque l' la là laquelle le lequel les
lesquelles lesquels leur leurs lors lorsqu' lorsque lui m' ma mais me même mêmes mes moi moins
mon n' ne ni non nos notre nous on ont or ou où par parce parmi pas pendant peu peut peuvent
plus plusieurs pour pourquoi pouvait pouvez pu puis puisqu' puisque qu' quand que quel quelle
quelles quels qui quoi s' sa sans se selon sera serait seront ses si sien soi soit sommes son
sont sous soyez suis sur t' ta tandis te tel telle telles tels tes toi ton tous tout toute
toutes très trop tu un une unes uns vers via voici voilà vos votre vous y afin ainsi aussi
autrement beaucoup cas celà chose choses doit doivent dû également encore enfin ensuite
existe faut fera font grâce hors lui mêmes mieux notamment outre partout pourra pourrait
pourraient pourtant presque quant quelqu' quelque quelques quiconque rien sauf seul seule
seulement sinon soit souvent surtout tantôt tant toujours toutefois voire déjà devrait
devraient ceci selon peut-être c'est qu'il qu'elle n'est s'il non-
m mm mme mmes mlle mlles
""".split()  # the last line: titles before a name ("Mme Ursula von der Leyen") are no part of it

_EN_STOP = """
a about above after again against all also although am among an and another any are aren't
as at be because been before being below between both but by can can't cannot could couldn't
did didn't do does doesn't doing don't down during each either else etc even ever every few
for from further had hadn't has hasn't have haven't having he her here hers herself him
himself his how however i if in into is isn't it it's its itself just least less let many
may me might more most much must mustn't my myself neither no nor not of off often on once
only or other others otherwise our ours ourselves out over own per perhaps quite rather
really same shall she should shouldn't since so some such than that that's the their theirs
them themselves then there there's therefore these they this those though through thus to
too under until up upon us very via was wasn't we were weren't what when where whether which
while who whom whose why will with within without would wouldn't yet you your yours yourself
yourselves whereas whereby wherein hence moreover nevertheless nonetheless already always
almost around away etc e.g i.e instead indeed unless toward towards onto across along amongst
besides beyond despite except inside outside throughout together anyway anything something
nothing everything someone anyone everyone nobody somebody one ones able yes
mr mrs ms messrs
""".split()  # the last line: titles before a name

STOPWORDS: dict[str, frozenset[str]] = {
    "fr": frozenset(_FR_STOP),
    "en": frozenset(_EN_STOP),
}

# Neighbour classes: what stands right before or after a word tells its part of speech
# without a tagger (a determiner before it: a noun; a subject pronoun or modal before it, or a
# determiner after it: a verb). Index order is the order of the counts in candidates.py.
CONTEXT_CLASSES = ("break", "det", "prep", "verbal", "aux", "conj", "other_stop", "word")

_CONTEXT_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "prep": "of in on at by for with from into through between under over about during "
                "against within without via per",
        "verbal": "to will would can could may might must shall should do does did not never "
                  "i you he she it we they who which",
        "aux": "is are was were be been being has have had become becomes became",
        "conj": "and or but nor",
    },
    "fr": {
        "prep": "de du des d' à au aux en par pour sur dans avec sans sous entre vers chez "
                "selon contre après avant depuis pendant",
        "verbal": "je j' tu il ils elle elles on nous vous se s' ne n' qui y lui leur",
        "aux": "est sont était étaient été être a ont avait avaient avoir sera seront peut "
               "peuvent doit doivent fait font",
        "conj": "et ou mais ni",
    },
}


def context_class(word: str, lang: str) -> int:
    """Index in CONTEXT_CLASSES of a lower-cased neighbouring word."""
    return _CLASS_OF[lang].get(word, _WORD if word not in STOPWORDS[lang] else _OTHER)


_WORD = CONTEXT_CLASSES.index("word")
_OTHER = CONTEXT_CLASSES.index("other_stop")
_CLASS_OF: dict[str, dict[str, int]] = {}
for _lang, _groups in _CONTEXT_WORDS.items():
    _m = {w: CONTEXT_CLASSES.index("det") for w in DETERMINERS[_lang]}
    for _cls, _words in _groups.items():
        for _w in _words.split():
            _m.setdefault(_w, CONTEXT_CLASSES.index(_cls))
    _CLASS_OF[_lang] = _m
