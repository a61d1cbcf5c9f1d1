//! The words of timeframe replies: what says "no plans", "soon", a year, a holiday, a unit.
//! Phrases are matched word for word on the folded reply (accents off, so "año" is "ano").

use crate::domain::survey::calendar;

/// Replies that say the customer does not know: they are no answer, and their words
/// ("no sé") are not read as "no".
#[rustfmt::skip]
pub(super) const UNSURE: &[&str] = &[
    "not sure", "no se", "dont know", "idk", "dunno", "depends", "no idea", "ni idea",
];
/// Replies that say there is no purchase in view.
#[rustfmt::skip]
pub(super) const NO_PLANS: &[&str] = &[
    "no plans", "no plan", "not planning", "no intention", "not looking", "not in the market",
    "not interested", "not right now", "not now", "not at the moment", "not at this time",
    "not currently", "love my", "happy with", "keeping it", "keeping my", "keep it",
    "just bought", "just got", "till they die", "till it dies", "until it dies", "no por ahora",
    "por ahora no", "no tengo planes", "ningun plan", "no pienso", "no planes", "never",
    "nunca", "nope", "nah", "good with", "fine with", "content with", "satisfied with",
    "already bought", "already got", "already have", "already purchased", "just purchased",
    "bought one", "all set", "im good", "estoy bien", "no necesito", "ya compre", "got a new",
    "have a new", "tengo carro nuevo", "tengo un carro nuevo", "acabo de comprar", "ya tengo",
    "nada por ahora", "por ahora nada", "nothing for now", "nothing right now", "nothing yet",
    "not yet", "todavia no", "aun no", "not thinking", "not considering", "not even thinking",
    "not really looking", "no lo he pensado", "just leased", "leased a new", "wheels fall off",
    "drive it until", "drive it till", "into the ground", "holding off", "hold off",
    "good for now", "fine for now", "ok for now", "were good", "we are good", "when it dies",
    "til it dies", "till she dies", "until she dies", "when she dies", "run it till",
    "run it until", "hasta que se muera", "hasta que muera", "hasta que se acabe",
    "hasta que truene", "dont buy", "do not buy", "not buying", "no longer buy",
    "no more cars", "is my last car", "be my last car", "probably my last car", "is my last truck",
    "be my last truck", "probably my last truck", "is my last vehicle", "be my last vehicle",
    "probably my last vehicle", "is my last one", "be my last one", "last car ill", "last car i buy", "last car i will", "too old to buy",
    "too old to get", "too old for another", "im too old", "mi ultimo carro", "mi ultimo auto",
    "no", "nada",
    "transmission goes", "engine goes", "motor goes", "transmission dies", "engine dies",
    "engine blows", "transmission goes out", "outlast me", "will outlast me", "till the wheels fall off",
];
/// The no-plans phrases that say the car is new: with them, "not anytime soon" is no plans.
#[rustfmt::skip]
pub(super) const JUST_BOUGHT: &[&str] = &[
    "just bought", "just got", "just purchased", "just leased", "already bought", "already got",
    "already purchased", "bought one", "got a new", "have a new", "ya compre", "acabo de comprar",
    "leased a new",
];
/// Vague times far off: a year or two, and a person should look.
#[rustfmt::skip]
pub(super) const WHILE: &[&str] = &[
    "not anytime soon", "not any time soon", "not for a while", "not for awhile", "in a while",
    "a while", "awhile", "eventually", "someday", "some day", "one day", "algun dia",
    "not in the near future", "not in the foreseeable future", "not soon", "not for some time",
    "not for a long time", "long term", "down the road", "a good while", "good while",
    "no time soon", "no anytime soon", "not no time soon",
];
/// Now or very soon. The first few only count when nothing says "no plans" ("not right now").
pub(super) const NOW: &[&str] = &["right now", "now", "ahora", "currently", "at the moment"];
#[rustfmt::skip]
pub(super) const SOON: &[&str] = &[
    "as soon as possible", "lo mas pronto posible", "lo antes posible", "cuanto antes",
    "right away", "asap", "asp", "immediately", "today", "tomorrow", "this week", "next week",
    "this weekend", "this month", "esta semana", "la semana que viene", "la proxima semana",
    "este mes", "any day", "yesterday", "ahorita", "ya", "pronto", "soon", "shortly",
    "in the near future", "near future", "already looking", "already shopping", "looking now",
    "shopping now", "been looking", "currently looking",
];
#[rustfmt::skip]
pub(super) const NEXT_MONTH: &[&str] = &[
    "next month", "el mes que viene", "el proximo mes", "proximo mes", "mwa pwochen",
];
#[rustfmt::skip]
pub(super) const NEXT_YEAR: &[&str] = &[
    "next year", "nxt year", "next yr", "el proximo ano", "proximo ano", "el ano que viene",
    "ano que viene", "el ano proximo", "el ano entrante", "el ano que entra", "ano que entra",
    "el otro ano", "otro ano", "lane pwochen", "ane pwochen", "lane prochen",
];
/// The time of year today, said with next year: "this time next year", "next year around this
/// time" is a point twelve months out, not the middle of next year.
#[rustfmt::skip]
pub(super) const THIS_TIME: &[&str] = &[
    "around this time", "about this time", "at this time", "this time", "around the same time",
    "about the same time", "the same time", "same time", "por estas fechas", "por esta fecha",
    "para estas fechas", "para esta fecha", "estas fechas", "esta fecha",
];
/// Words that restate a vaguer time more exactly: "after the refund comes, so March-ish",
/// "after the holidays, like January": the restatement is the answer.
pub(super) const RESTATE: &[&str] = &["so", "ie", "like", "meaning", "basically", "osea", "sea"];
/// Leaving, after which the purchase cannot wait: "we head south in November and want to
/// trade before we go" is from now until that month.
#[rustfmt::skip]
pub(super) const LEAVING: &[&str] = &[
    "go", "leave", "head", "move", "fly", "ship", "deploy", "vamos", "vayamos", "going", "leaving",
    "heading", "moving", "flying", "shipping", "deploying", "leaves", "heads", "moves", "goes",
    "ships", "deploys", "irnos", "irme", "mudarnos", "mudamos", "mudemos", "salimos", "salgamos",
];
#[rustfmt::skip]
pub(super) const THIS_YEAR: &[&str] = &[
    "this year", "this yr", "the year", "este ano", "del ano", "de ano", "el ano",
    "year", "yr",
];
#[rustfmt::skip]
pub(super) const HOLIDAYS: &[&str] = &[
    "the holidays", "holidays", "christmas", "xmas", "las navidades", "navidades", "la navidad",
    "navidad", "las fiestas", "fiestas",
];
#[rustfmt::skip]
pub(super) const NEW_YEAR: &[&str] = &[
    "new years", "new year", "the first of the year", "first of the year", "start of the year",
    "start of the new year", "turn of the year", "ano nuevo", "principios de ano",
];
/// Tax season, and the refund it brings: "when my refund hits", "cuando me llegue el reembolso".
#[rustfmt::skip]
pub(super) const TAXES: &[&str] = &[
    "tax season", "tax time", "tax refund", "taxes", "income tax", "tax return", "refund", "refunds",
    "reembolso", "reembolsos", "los taxes",
];
/// The first snow, as the start of winter: "before the snow", "before the first snow".
#[rustfmt::skip]
pub(super) const SNOW: &[&str] = &[
    "the first snow", "first snow", "the snow", "snow flies", "snowfall", "the snows", "la nieve",
    "las nevadas", "la primera nevada", "primera nevada",
];
/// Words that make the answer hang on something: a time said after them is what it hangs on
/// ("depends what the mechanic says next week").
pub(super) const DEPENDS: &[&str] = &["depends", "depending", "depend", "depende", "dependiendo"];
/// Holidays of the year other than Christmas and New Year, by their rule.
#[rustfmt::skip]
pub(super) const FIXED_HOLIDAYS: &[(&str, calendar::Holiday)] = &[
    ("thanksgiving", calendar::Holiday::Thanksgiving), ("black friday", calendar::Holiday::Thanksgiving),
    ("memorial day", calendar::Holiday::MemorialDay), ("labor day", calendar::Holiday::LaborDay),
    ("fourth of july", calendar::Holiday::July4), ("4th of july", calendar::Holiday::July4),
    ("july 4th", calendar::Holiday::July4), ("independence day", calendar::Holiday::July4),
    ("easter", calendar::Holiday::Easter), ("pascua", calendar::Holiday::Easter),
    ("semana santa", calendar::Holiday::HolyWeek), ("holy week", calendar::Holiday::HolyWeek),
    ("dia de los reyes", calendar::Holiday::Kings), ("dia de reyes", calendar::Holiday::Kings),
    ("los reyes magos", calendar::Holiday::Kings), ("los reyes", calendar::Holiday::Kings),
    ("reyes magos", calendar::Holiday::Kings), ("three kings day", calendar::Holiday::Kings),
    ("three kings", calendar::Holiday::Kings), ("epiphany", calendar::Holiday::Kings),
];
/// The school calendar: "after school lets out", "once the kids are back in school".
#[rustfmt::skip]
pub(super) const SCHOOL: &[(&str, calendar::School)] = &[
    ("back to school", calendar::School::Back), ("back 2 school", calendar::School::Back),
    ("back in school", calendar::School::Back), ("back at school", calendar::School::Back),
    ("regreso a clases", calendar::School::Back), ("school starts", calendar::School::Back),
    ("school lets out", calendar::School::Out), ("school gets out", calendar::School::Out),
    ("school is out", calendar::School::Out), ("schools out", calendar::School::Out),
    ("school ends", calendar::School::Out), ("end of school", calendar::School::Out),
    ("end of the school year", calendar::School::Out), ("salen de clases", calendar::School::Out),
    ("spring break", calendar::School::SpringBreak), ("spring brk", calendar::School::SpringBreak),
];
/// Words that say how sure a customer is; a season after them is meant as one ("maybe fall").
pub(super) const HEDGES: &[&str] = &[
    "maybe", "probably", "prob", "possibly", "perhaps", "likely", "prolly", "petet",
];

/// Words after which a season or a month is expected.
#[rustfmt::skip]
pub(super) const LEADS: &[&str] = &[
    "in", "the", "this", "next", "by", "until", "till", "after", "before", "early", "late", "mid",
    "of", "around", "since", "en", "el", "la", "de", "para", "por", "hasta", "proximo",
    "proxima", "este", "esta", "nan", "mwa",
];

/// Units of a duration, in months.
#[rustfmt::skip]
pub(super) const UNITS: &[(&str, f64)] = &[
    ("days", 1.0 / 30.44), ("day", 1.0 / 30.44), ("dias", 1.0 / 30.44), ("dia", 1.0 / 30.44),
    ("weeks", 0.23), ("week", 0.23), ("wks", 0.23), ("wk", 0.23), ("semanas", 0.23),
    ("semana", 0.23), ("months", 1.0), ("month", 1.0), ("mos", 1.0), ("mo", 1.0), ("mths", 1.0),
    ("mth", 1.0), ("mnths", 1.0), ("m", 1.0), ("meses", 1.0), ("mes", 1.0), ("years", 12.0),
    ("year", 12.0), ("yrs", 12.0), ("yr", 12.0), ("y", 12.0), ("anos", 12.0), ("ano", 12.0),
    ("payments", 1.0), ("payment", 1.0), ("pagos", 1.0), ("pago", 1.0),
];

/// The farm seasons, by their names: "after harvest", "planting season", "la cosecha".
#[rustfmt::skip]
pub(super) const FARM_SEASONS: &[(&str, calendar::FarmSeason)] = &[
    ("harvest time", calendar::FarmSeason::Harvest), ("harvest season", calendar::FarmSeason::Harvest),
    ("harvest", calendar::FarmSeason::Harvest), ("harvesting", calendar::FarmSeason::Harvest),
    ("la cosecha", calendar::FarmSeason::Harvest), ("cosecha", calendar::FarmSeason::Harvest),
    ("planting season", calendar::FarmSeason::Planting), ("planting time", calendar::FarmSeason::Planting),
    ("planting", calendar::FarmSeason::Planting), ("la siembra", calendar::FarmSeason::Planting),
    ("siembra", calendar::FarmSeason::Planting),
];

/// Words after a model year that make it the model ("the 2028s", "the 2028 models").
pub(super) const MODELS: &[&str] = &["s", "models", "model", "modelos", "modelo", "ones"];

/// Words that put a clause in the past ("my husband passed in the spring", "we had a rough
/// year", "I bought it in July"): a time in that clause is not when they will buy.
#[rustfmt::skip]
pub(super) const PAST_VERBS: &[&str] = &[
    "had", "passed", "died", "bought", "purchased", "leased", "traded", "sold", "did", "happened",
    "totaled", "totalled", "wrecked", "crashed", "retired", "moved", "compre", "compramos",
    "been",
];

/// Words that offer a second duration as an alternative to the first ("6 months maybe a
/// year", "6 months or possibly a year"): the two are a range.
#[rustfmt::skip]
pub(super) const ALTERNATIVES: &[&str] = &[
    "or maybe", "or possibly", "or perhaps", "or even", "maybe", "perhaps", "possibly",
    "could be", "or", "o", "o tal vez", "tal vez",
];

/// Words that offer one window as an alternative to another ("could be this year could be
/// next", "this year or next").
pub(super) const EITHER: &[&str] = &["could", "or", "maybe", "might", "o"];
