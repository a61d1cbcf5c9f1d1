//! What the choice reader knows of the words customers use: kinds of vehicle with the
//! models that are one, and groups of words and phrases that mean the same choice.

/// Kinds of vehicle, with the words that name each kind and the models that are one.
pub(super) const KINDS: &[(&str, &[&str])] = &[
    ("truck", TRUCKS),
    ("suv", SUVS),
    ("sedan", SEDANS),
    ("minivan", MINIVANS),
    ("coupe", COUPES),
    ("electric", ELECTRIC),
    ("phev", PHEV),
    ("hybrid", HYBRID),
    ("diesel", DIESEL),
    ("gas", GAS),
];
#[rustfmt::skip]
const TRUCKS: &[&str] = &[
    "truck", "trucks", "pickup", "pickups", "troca", "trocas", "f150", "f250",
    "f350", "silverado", "sierra", "ram", "tacoma", "tundra", "ranger", "colorado", "canyon",
    "frontier", "titan", "ridgeline", "gladiator", "maverick", "santacruz", "lobo", "cheyenne",
    "bed", "tow", "towing", "1500", "2500", "3500", "2500hd", "3500hd", "hd", "superduty",
    "dually", "haul", "hauling", "trailer", "pull", "pulling", "cybertruck", "f150lightning", "r1t", "lightning", "hilux",
];
#[rustfmt::skip]
const SUVS: &[&str] = &[
    "suv", "suvs", "crossover", "crossovers", "crv", "rav4", "cx5", "cx50", "cx9", "cx90", "cx30",
    "hrv", "4runner", "tahoe", "suburban", "yukon", "explorer", "expedition", "escape", "edge",
    "bronco", "highlander", "grandhighlander", "pilot", "passport", "equinox", "traverse",
    "blazer", "trailblazer", "trax", "rogue", "pathfinder", "murano", "kicks", "tucson",
    "santafe", "palisade", "kona", "sorento", "sportage", "telluride", "seltos", "soul",
    "wrangler", "jeep", "cherokee", "grandcherokee", "durango", "forester", "outback", "ascent",
    "crosstrek", "atlas", "tiguan", "taos", "enclave", "encore", "envision", "escalade", "xt5",
    "xt6", "rdx", "mdx", "x1", "x3", "x5", "x7", "q3", "q5", "q7", "gle", "glc", "rx", "nx",
    "gx", "lx", "qx60", "qx80", "sequoia", "armada", "acadia", "terrain", "compass",
    "renegade", "venza", "corollacross", "cx3", "ecosport", "nautilus", "aviator", "navigator",
    "broncosport", "modely", "modelx", "r1s", "mache", "xc90", "xc60", "rangerover", "defender",
    "tercerafila", "thirdrow", "3rows", "threerows", "3rdrow",
];
#[rustfmt::skip]
const SEDANS: &[&str] = &[
    "sedan", "sedans", "camry", "corolla", "accord", "civic", "altima", "sentra", "maxima",
    "malibu", "impala", "fusion", "elantra", "sonata", "jetta", "passat", "mazda3", "mazda6",
    "charger", "avalon", "k5", "optima", "forte", "legacy", "impreza", "versa", "model3",
    "4doorcar", "fourdoorcar", "littlecar", "smallcar", "compactcar", "carro", "es350", "is250",
    "tlx", "ilx", "integra", "a4", "a6", "cclass", "eclass", "3series", "5series", "g70",
    "stinger", "cruze", "focus", "yaris", "mirage", "rio", "accent", "wrx",
];
#[rustfmt::skip]
const MINIVANS: &[&str] = &[
    "minivan", "minivans", "van", "vans", "odyssey", "sienna", "pacifica", "carnival", "caravan",
    "grandcaravan", "sedona", "transit", "quest", "slidingdoor", "slidingdoors", "promaster", "3rows", "threerows",
];
#[rustfmt::skip]
const COUPES: &[&str] = &[
    "coupe", "coupes", "mustang", "camaro", "corvette", "challenger", "brz", "gr86", "miata",
    "supra", "370z", "convertible", "sportscar", "2door", "twodoor",
];
#[rustfmt::skip]
const ELECTRIC: &[&str] = &[
    "electric", "ev", "evs", "tesla", "bolt", "leaf", "ioniq", "ioniq5", "ioniq6", "ev6", "ev9",
    "electrico", "electrica", "id4", "polestar", "rivian", "lucid",
    "allelectric", "fullyelectric", "plugitin", "pluginatnight", "battery", "charger", "charging", "nomoregas", "neverbuygas",
    "electricos", "plug", "plugin", "modely", "model3", "modelx", "models", "mache", "lightning", "r1t", "r1s",
    "cybertruck", "bolteuv", "equinoxev", "blazerev", "f150lightning",
];
#[rustfmt::skip]
const HYBRID: &[&str] = &[
    "hybrid", "hybrids", "prius", "phev", "hibrido", "hibrida", "halfandhalf", "chargesitself",
    "selfcharging", "pluginhybrid", "doesboth", "gasandelectric", "hibread", "hybird",
    "hibrid", "highbred", "hybrido", "priusprime", "rav4prime", "volt", "niro", "insight", "maverickhybrid",
];
const PHEV: &[&str] = &[
    "phev",
    "pluginhybrid",
    "rav4prime",
    "priusprime",
    "volt",
    "pluginhybrids",
    "wrangler4xe",
    "4xe",
    "plugin",
];
const DIESEL: &[&str] = &["diesel", "duramax", "powerstroke", "cummins", "tdi", "turbodiesel"];
const GAS: &[&str] = &[
    "gas",
    "gasoline",
    "gasolina",
    "petrol",
    "regulargas",
    "unleaded",
    "normal",
    "regular",
    "conventional",
    "nothingfancy",
    "standard",
];

/// Words and phrases that mean the same choice, Spanish and plain synonyms: a reply's word
/// or phrase picks the choices whose own word is in a group with it. The groups are in
/// order of how specific they are, and the first group that names an offered choice
/// decides: "saturday" is Saturday when that day is offered, Weekend when it is not.
#[rustfmt::skip]
pub(super) const CONCEPTS: &[&[&str]] = &[
    // days, each its own before the week's two halves
    &["monday", "mondays", "mon", "lunes"],
    &["tuesday", "tuesdays", "tue", "tues", "martes"],
    &["wednesday", "wednesdays", "wed", "weds", "miercoles"],
    &["thursday", "thursdays", "thu", "thur", "thurs", "jueves"],
    &["friday", "fridays", "fri", "viernes"],
    &["saturday", "saturdays", "sat", "sabado", "sabados"],
    &["sunday", "sundays", "sun", "domingo", "domingos"],
    &["weekday", "weekdays", "during the week", "work week", "workweek", "workday", "workdays",
      "work days", "entre semana", "monday", "mondays", "mon", "tuesday", "tuesdays", "tue",
      "tues", "wednesday", "wednesdays", "wed", "thursday", "thursdays", "thu", "thurs", "friday",
      "fridays", "fri", "lunes", "martes", "miercoles", "jueves", "viernes", "mon fri",
      "monday through friday", "lunes a viernes"],
    // who drives it, before the family as a whole
    &["me", "myself", "i do", "just me", "only me", "mainly me", "yo", "solo yo", "i drive it",
      "im the driver", "mine"],
    &["spouse", "wife", "husband", "hubby", "wifey", "esposa", "esposo", "partner", "fiance",
      "fiancee", "the mrs", "my mrs", "old lady", "old man"],
    &["kid", "kids", "son", "daughter", "teen", "teenager", "teenagers", "hijo", "hija", "hijos",
      "child", "children", "student", "new driver", "permit", "just got his license",
      "just got her license"],
    // parts of the day
    &["morning", "mornings", "manana", "mananas", "am", "before work", "first thing",
      "early morning", "por la manana", "breakfast", "before noon", "before lunch",
      "antes del mediodia", "early", "late morning", "mid morning", "midmorning", "mornin",
      "coffee", "temprano", "wake up", "first thing in the morning", "a m"],
    &["afternoon", "afternoons", "tarde", "tardes", "lunch", "lunchtime", "noon", "midday",
      "mediodia", "lunch break", "por la tarde", "after school", "school pickup", "pickup time", "lunch hour", "after lunch", "early afternoon",
      "late afternoon", "mid afternoon", "midafternoon", "siesta", "arvo"],
    &["evening", "evenings", "night", "nights", "tonight", "noche", "noches", "after work",
      "after dinner", "after hours", "por la noche", "despues del trabajo",
      "early evening", "late", "dinner", "dinnertime", "supper", "nighttime", "on my way home",
      "way home", "after my shift", "get off work", "get off", "off work", "when i get home",
      "after the kids are in bed", "bedtime", "p m", "bed"],
    // ways to reach someone
    &["text", "texts", "texting", "txt", "sms", "message", "mensaje", "mensajes", "messages",
      "messaging", "msg", "imessage", "mensaje de texto", "whatsapp", "right here",
      "this is fine", "this works", "here is fine", "like this", "aqui esta bien", "por aqui",
      "text me", "reply here", "textear", "texto"],
    &["call", "calls", "calling", "phone", "llamada", "llamadas", "llamame", "llamar", "ring",
      "phone call", "ring my cell", "call my cell", "phone me", "give me a call", "voicemail",
      "call me", "talk", "speak", "hablar", "talk on the phone", "on the phone"],
    &["email", "emails", "mail", "gmail", "correo", "yahoo", "outlook", "hotmail", "inbox",
      "e mail", "emailing", "correo electronico", "email me"],
    // what the visit is for
    &["oil", "oil change", "cambio de aceite", "aceite", "lube", "synthetic", "oil and filter",
      "oil service", "maintenance due"],
    &["tires", "tire", "llantas", "llanta", "rotation", "rotate", "balance", "alignment", "flat",
      "tread", "new tires", "neumaticos", "gomas", "rubber", "bald", "new rubber", "tyres"],
    &["brakes", "brake", "pads", "rotors", "squeak", "squeaking", "squeal", "squealing",
      "grinding", "frenos", "brake pads"],
    &["wait", "waiting", "lounge", "hang out", "stay", "sit", "espero", "wifi", "while i wait",
      "wait there", "esperar"],
    &["drop", "drop off", "drop it off", "leave it", "leave it with you", "la dejo", "dejarlo",
      "dejarla", "drop it"],
    &["loaner", "courtesy car", "rental", "rental car", "shuttle", "a ride", "prestado",
      "need a car", "need a ride", "need wheels", "need something to drive"],
    &["recall", "recalls", "letter", "airbag", "takata", "notice", "campaign", "bulletin"],
    // where and how to meet
    &["home", "house", "my place", "bring it", "bring it out", "bring it to me", "come to me",
      "ranch", "driveway", "casa", "my work", "my job"],
    &["video", "facetime", "zoom", "video call", "videocall", "teams", "duo", "video chat"],
    &["store", "in store", "stop by", "come in", "come by", "swing by", "in person", "visit",
      "dealership", "showroom"],
    &["pickup", "pick up", "pick it up", "come get it", "come grab it", "recoger", "lo recojo",
      "grab it"],
    &["delivery", "deliver", "delivered", "drop it off at", "home delivery", "entrega",
      "bring it to my"],
    // languages
    &["spanish", "espanol", "castellano", "en espanol"],
    &["english", "ingles", "in english"],
    &["creole", "kreyol", "haitian", "ayisyen", "kreyol ayisyen"],
    &["russian", "русский", "русском", "po russki"],
    &["portuguese", "portugues", "em portugues"],
    &["vietnamese", "tieng viet"],
    &["chinese", "mandarin", "cantonese", "中文"],
    // which department
    &["sales", "looking at", "test drive", "trade in", "new one", "shopping", "salesman",
      "salesperson"],
    &["service", "oil change", "repair", "fix", "fixed", "check engine", "maintenance",
      "appointment", "brakes", "tires", "recall"],
    &["parts", "part", "wiper", "wipers", "wiper blades", "filter", "accessories", "floor mats",
      "mats", "bulb", "key fob"],
    // how soon
    &["this", "asap", "today", "tomorrow", "right away", "right now", "immediately", "hoy",
      "esta semana", "ya", "this week", "urgent", "car died", "ahorita"],
    &["next", "semana que viene", "proxima semana", "la otra semana", "next week"],
    &["browsing", "browse", "just looking", "looking", "no rush", "not in a rush", "viendo",
      "mirando", "window shopping", "months", "later", "someday", "eventually", "not ready",
      "solo estoy viendo", "just curious"],
    // what the vehicle is for
    &["commute", "commuting", "commuter", "office", "back and forth", "to and from",
      "drive to work", "driving to work", "get to work", "to work and back", "work and back",
      "to and from work", "to work", "from work", "to the office", "back and forth to work",
      "to my job", "from my job", "to and from my job", "ir y venir", "ida y vuelta",
      "al trabajo", "del trabajo", "train station", "the station", "park and ride",
      "each way", "round trip", "miles a day", "highway miles", "freeway", "interstate",
      "daily driver", "going to work", "to the hospital", "to the plant", "to campus", "shifts",
      "and back", "to base", "every day", "everyday", "daily", "to class", "getting to class",
      "my shift", "to my shift", "to my shifts", "getting to work", "clock in"],
    &["work", "job", "jobs", "jobsite", "jobsites", "job site", "job sites", "tools", "business",
      "contractor", "clients", "deliveries", "chamba", "trabajo", "negocio", "for my job",
      "company", "uber", "lyft", "doordash", "instacart", "rideshare", "realtor", "showing houses",
      "sales calls", "service calls", "on the job", "plumber", "electrician", "landscaping",
      "construction", "farm", "ranch", "hay", "feed", "livestock", "cattle", "crew",
      "equipment", "work truck", "company car", "sales rep", "territory", "delivery",
      "delivering", "handyman", "hvac", "roofing", "roofer", "carpenter", "painter", "welder",
      "tradesman", "mail route", "real estate", "home health", "customers", "gig", "gigs",
      "trabajar", "herramienta", "herramientas", "oil field", "oilfield", "pumper", "route",
      "rig", "livery", "black car", "taxi", "limo", "chauffeur",
      "car service",
      "service truck", "lumber", "materials", "chambear", "pega", "jale"],
    &["family", "familia", "kids", "kid", "wife", "husband", "school", "carpool", "hijos", "ninos",
      "esposa", "grandkids", "son", "daughter", "daycare", "soccer", "familiar", "mom taxi",
      "soccer mom", "practice", "practices", "grocery", "groceries", "errands", "the kids",
      "grandchildren", "grandbabies", "grandbaby", "to and from school", "nietos", "baby", "car seat", "car seats", "twins", "toddler",
      "la escuela", "los ninos", "dance", "little league", "school run", "pick up the kids"],
    &["certified", "cpo", "certified pre owned", "extended warranty", "warranty", "certificado"],
    // how it leaves the customer's hands
    &["privately", "private", "marketplace", "facebook marketplace", "craigslist", "offerup",
      "sell it myself", "selling it myself", "private sale", "sell it on my own", "autotrader"],
    &["used", "preowned", "pre owned", "certified", "cpo", "second hand", "secondhand",
      "low miles", "usado", "usada", "seminuevo", "not paying new prices", "a year or two old",
      "couple years old", "few years old", "off lease", "years old", "yrs old", "year old",
      "yr old", "not new"],
    &["new", "brand new", "nuevo", "nueva", "0 miles", "zero miles", "off the lot",
      "never been driven", "del lote", "0 km", "newest", "off the truck", "right off the truck", "latest model", "this years model"],
    // how it is paid for, before buying as a whole
    &["cash", "upfront", "up front", "outright", "pay it all", "all cash", "in full",
      "paid in full", "pay in full", "contado", "de contado", "efectivo"],
    &["finance", "financing", "financed", "loan", "credit union", "navy federal", "bank",
      "monthly payments", "payments", "apr", "financiar", "credito"],
    &["buy", "purchase", "own", "finance", "financing", "cash", "comprar", "compra",
      "comprarlo", "buying", "pay it off", "loan", "outright", "own it", "keep it", "credit union",
      "pay cash"],
    &["lease", "leasing", "arrendar", "arrendamiento", "renting", "rent", "lease again",
      "turn it in", "give it back", "hand it back", "return it"],
    &["weekend", "weekends", "fun", "toy", "leisure", "hobby", "camping", "fishing", "lake",
      "beach", "cruising", "joyride", "joyrides", "road trips", "roadtrips", "saturday",
      "saturdays", "sat", "sunday", "sundays", "sun", "sabado", "domingo", "fin de semana",
      "fines de semana", "paseo", "paseos", "pleasure", "off road", "offroading", "road trip",
      "vacation", "vacations", "getaway", "getaways", "boat", "pulling the boat",
      "camper", "rv", "hunting", "golf", "hiking", "skiing", "ski", "car shows", "car show",
      "sunday drives", "day trips", "date night", "cabin", "the coast", "mountains"],
    // how it drives
    &["awd", "all wheel drive", "all wheel", "allwheel", "awd suv", "snow", "traccion total"],
    &["4x4", "4wd", "four wheel drive", "4 wheel drive", "fourwheel", "offroad", "off road",
      "mudding", "lifted", "mud", "muddy", "doble traccion", "4 por 4", "four by four"],
    &["fwd", "front wheel drive", "front wheel", "front", "2wd", "2 wheel drive", "two wheel drive"],
    &["rwd", "rear wheel drive", "rear wheel", "rear", "rear drive"],
    // credit
    &["rebuild", "rebuilding", "bankruptcy", "repo", "repossession", "collections",
      "working on it", "fixing my credit", "bad credit", "no credit", "bancarrota"],
    // truck sizes
    &["half", "1500", "f150", "halfton", "half ton", "halftonne", "ram 1500", "silverado 1500", "tundra",
      "titan"],
    &["quarter", "2500", "f250", "2500hd", "threequarter", "three quarter", "3 4 ton",
      "threequarterton"],
    &["oneton", "1 ton", "one ton", "dually", "3500", "f350", "3500hd", "gooseneck"],
    // what matters most
    &["price", "cheap", "cheaper", "cheapest", "affordable", "budget", "payment", "payments",
      "cost", "costs", "deal", "precio", "barato", "money", "monthly", "low payment",
      "bang for the buck", "value"],
    &["reliability", "reliable", "dependable", "lasts", "break down", "breakdown",
      "needs to start", "start at", "starts every", "cold start", "cold starts", "below zero",
      "breaking down", "wont break", "doesnt break down", "lasting", "long lasting",
      "breaks down", "doesnt break", "descomponga", "no se descomponga", "no problems", "dont want to break down", "confiable", "durable",
      "holds up", "peace of mind", "wont leave me stranded"],
    &["features", "feature", "tech", "technology", "gadgets", "carplay", "apple carplay",
      "android auto", "sunroof", "heated seats", "bells and whistles", "screen", "options",
      "loaded", "fully loaded", "leather"],
    &["fuel", "economy", "mpg", "gas mileage", "good on gas", "gas is killing", "gas money",
      "on gas", "at the pump", "fill up", "fill ups", "fuel efficient", "efficient",
      "efficiency", "save on gas", "gas prices", "miles per gallon"],
    &["safety", "safe", "safest", "crash", "airbags", "seguro", "segura"],
    // how they heard of the store
    &["online", "instagram", "insta", "tiktok", "youtube", "social media", "social", "web",
      "internet", "website"],
    &["google", "googled", "searched", "search", "online", "internet", "web", "website",
      "cars com", "autotrader", "cargurus"],
    &["facebook", "fb", "social media", "marketplace", "buy sell", "local group", "a post",
      "facebook group"],
    &["friend", "friends", "buddy", "coworker", "neighbor", "referral", "referred",
      "word of mouth", "amigo", "amiga", "recommended", "recommendation", "my brother",
      "my sister", "family member", "cousin", "uncle", "aunt", "brother", "sister", "mom", "dad",
      "boss", "primo", "prima", "tio", "tia"],
    &["radio", "tv", "television", "commercial", "ad", "ads", "heard", "station", "billboard",
      "podcast", "pandora", "spotify"],
    &["drove", "drive", "driveby", "droveby", "pase por", "pasaba por", "por el frente",
      "drove by", "drive by", "driving by", "passing by", "passed by", "pass by",
      "saw the lot", "on my way to work",
      "saw your sign", "saw the sign", "down the street", "pasaba"],
    // how it went
    &["great", "excellent", "amazing", "awesome", "perfect", "fantastic", "wonderful",
      "outstanding", "loved it", "love it", "superb", "10 10", "five stars", "5 stars",
      "excelente", "muy bien", "super", "top notch", "best"],
    &["ok", "okay", "fine", "alright", "decent", "meh", "average", "so so", "not bad",
      "could be better", "regular", "mas o menos", "good enough"],
    &["poor", "bad", "terrible", "bankruptcy", "repo", "repossession", "collections",
      "bad credit", "awful", "horrible", "rude", "worst", "disappointed",
      "disappointing", "not good", "mal", "malo", "pesimo", "one star", "1 star", "nightmare",
      "waste"],
    // colours
    &["white", "blanco", "blanca", "pearl", "pearl white"],
    &["black", "negro", "negra"],
    &["silver", "plata", "plateado"],
    &["gray", "grey", "gris", "charcoal", "gunmetal"],
    &["red", "rojo", "roja"],
    &["blue", "azul", "navy"],
    // makes, with their common models
    &["toyota", "yota", "camry", "corolla", "rav4", "tacoma", "tundra", "highlander", "4runner",
      "sienna", "prius", "sequoia", "venza", "avalon", "corollacross", "grandhighlander"],
    &["honda", "civic", "accord", "crv", "hrv", "pilot", "odyssey", "ridgeline", "passport"],
    &["ford", "powerstroke", "ecoboost", "f150", "f250", "f350", "escape", "explorer", "expedition", "bronco", "mustang",
      "ranger", "maverick", "edge", "mache", "superduty", "fusion"],
    &["chevy", "chevrolet", "bowtie", "bow tie", "duramax", "vortec", "silverado", "tahoe", "suburban", "equinox", "malibu", "traverse",
      "colorado", "camaro", "blazer", "trax", "trailblazer", "bolt", "corvette"],
    &["nissan", "altima", "sentra", "rogue", "pathfinder", "frontier", "titan", "murano",
      "kicks", "armada", "leaf"],
    &["hyundai", "elantra", "sonata", "tucson", "santafe", "palisade", "kona", "ioniq"],
    &["kia", "telluride", "sorento", "sportage", "k5", "forte", "soul", "seltos", "carnival"],
    &["ram", "dodge", "cummins", "hemi", "ecodiesel", "rebel", "trx"],
    &["jeep", "wrangler", "cherokee", "grandcherokee", "gladiator", "compass", "renegade"],
    &["gmc", "sierra", "yukon", "acadia", "terrain", "canyon"],
    &["subaru", "outback", "forester", "crosstrek", "ascent", "impreza", "wrx"],
];

/// Words too common to match a choice by.
pub(super) const STOP: &[&str] = &["the", "and", "for", "with", "other", "one", "use", "not"];
/// Short words a choice may be named by ("Me", "OK"); others under three letters are
/// too common ("my", "by", "a").
pub(super) const SHORT: &[&str] = &["me", "ok", "yo", "ev", "am", "pm", "tv"];
pub(super) const NEGATIONS: &[&str] = &[
    "not", "no", "ni", "dont", "nothing", "never", "without", "sin", "nobody", "noone", "done",
];
/// Phrases that say what a reply is not about, and take their words ("I work from home":
/// not Work, and not Commuting).
pub(super) const ASIDES: &[&str] = &[
    "work from home",
    "working from home",
    "wfh",
    "work remote",
    "work remotely",
    "im retired",
    "my phone",
    "my cell",
    "this phone",
    "this number",
    "i work nights",
    "work nights",
    "i work days",
    "work overnight",
    "work overnights",
    "no one",
    "no one else",
];
/// Choice names that are a kind without starting with its name.
pub(super) const GENERIC: &[&str] = &[
    "pickup",
    "pickuptruck",
    "crossover",
    "van",
    "ev",
    "gasoline",
    "pluginhybrid",
];
pub(super) const ORDINALS: &[&str] = &["first", "second", "third", "fourth", "fifth", "sixth"];
pub(super) const LETTERS: &[&str] = &["a", "b", "c", "d", "e", "f"];

/// Words that make one choice the main one of two or more ("mostly commuting, some weekend
/// trips"), and words that make one the lesser.
#[rustfmt::skip]
pub(super) const MAIN: &[&str] = &[
    "mostly", "mainly", "primarily", "usually", "mostly", "majority", "best", "prefer",
    "preferred", "preferably", "ideally", "better", "main", "mayormente",
    "principalmente", "mejor", "prefiero", "leaning", "so", "generally", "normally", "typically", "especially",
    "always", "definitely",
];
#[rustfmt::skip]
pub(super) const LESSER: &[&str] = &[
    "sometimes", "occasionally", "some", "also", "too", "little", "bit", "rarely", "once",
    "tambien", "veces", "backup", "urgent", "emergency", "emergencies",
    "pinch", "occasional", "open", "than", "odd", "maybe", "quick", "needed", "instead", "few",
];
