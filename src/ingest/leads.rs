//! Lead webhook bodies -> [`ParsedLead`]s: JSON (one object, an array of them, or `{"leads": [...]}`)
//! and ADF/XML 1.0 (Auto-lead Data Format), read as leniently as a person would read them, because
//! real ADF is sloppy. Pure: no I/O, no database; `lead_intake` validates and stores.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use quick_xml::events::Event;
use quick_xml::Reader;
use serde_json::{Map, Value};
use std::collections::HashSet;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParsedLead {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// every phone given, best first: mobile-like types, then unspecified/voice, home, work, others; no fax
    pub phones: Vec<ParsedPhone>,
    /// trimmed, lower-cased; None if it has no '@'
    pub email: Option<String>,
    /// street lines joined with ", "
    pub address: Option<String>,
    pub city: Option<String>,
    /// as given (trimmed); the caller normalizes
    pub state: Option<String>,
    pub postal_code: Option<String>,
    /// JSON only, as given
    pub timezone: Option<String>,
    /// ADF: vendor/vendorname, else provider/name; JSON: "source"
    pub source: Option<String>,
    pub provider: Option<String>,
    pub comments: Option<String>,
    pub requested_at: Option<DateTime<Utc>>,
    /// "buy new 2025 Honda CR-V": the first vehicle they want (JSON "vehicle_interest" verbatim if given)
    pub vehicle_interest: Option<String>,
    /// "2025 Honda CR-V EX-L": year, make, model and trim of that vehicle
    pub preferred_vehicle: Option<String>,
    pub vehicles: Vec<ParsedVehicle>,
    pub financed_term_months: Option<i64>,
    pub purchased_on: Option<NaiveDate>,
    pub monthly_payment_cents: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParsedPhone {
    pub raw: String,
    /// lower-cased as given ("cellphone", "home", "mobile", ...)
    pub kind: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParsedVehicle {
    /// buy | lease | sell | trade-in | test-drive (lower-cased as given)
    pub interest: Option<String>,
    /// new | used
    pub status: Option<String>,
    pub year: Option<i32>,
    pub make: Option<String>,
    pub model: Option<String>,
    pub trim: Option<String>,
    /// trimmed, upper-cased, not validated
    pub vin: Option<String>,
    pub stock: Option<String>,
    pub odometer: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LeadParseError {
    #[error("malformed XML: {0}")]
    MalformedXml(String),
    #[error("malformed JSON: {0}")]
    MalformedJson(String),
    /// well-formed, but not a lead (or a field of a type that cannot be coerced)
    #[error("{0}")]
    Shape(String),
    #[error("the body is empty")]
    Empty,
}

use LeadParseError::{Empty, Shape};

/// True when the body should be parsed as ADF/XML: an XML content type (parameters allowed), or a
/// body starting with `<?xml`, `<adf` or `<?adf` (any case, after whitespace and a UTF-8 BOM).
pub fn is_xml(content_type: Option<&str>, body: &[u8]) -> bool {
    let ct = content_type
        .and_then(|c| c.split(';').next())
        .map(|c| c.trim().to_ascii_lowercase());
    if matches!(
        ct.as_deref(),
        Some("application/xml" | "text/xml" | "application/x-adf+xml")
    ) {
        return true;
    }
    let body = strip_bom(body);
    let start = body.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(body.len());
    let head: Vec<u8> = body[start..].iter().take(5).map(u8::to_ascii_lowercase).collect();
    head.starts_with(b"<?xml") || head.starts_with(b"<adf") || head.starts_with(b"<?adf")
}

fn strip_bom(body: &[u8]) -> &[u8] {
    body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body)
}

/// UTF-8, or else Latin-1 (ADF from older systems is often ISO-8859-1 / Windows-1252).
fn decode(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => bytes.iter().map(|&b| b as char).collect(),
    }
}

/// Trimmed, inner runs of whitespace collapsed to one space; None when nothing is left.
fn squash(s: &str) -> Option<String> {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    (!s.is_empty()).then_some(s)
}

fn trimmed(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

fn clean_email(s: &str) -> Option<String> {
    let e = s.trim().to_lowercase();
    e.contains('@').then_some(e)
}

/// "Ana Lopez" -> (Ana, Lopez), split on the last space; "LOPEZ, ANA" -> (ANA, LOPEZ).
fn split_name(full: &str) -> (Option<String>, Option<String>) {
    let full = squash(full).unwrap_or_default();
    if let Some((last, first)) = full.split_once(',') {
        return (squash(first), squash(last));
    }
    match full.rsplit_once(' ') {
        Some((first, last)) => (squash(first), squash(last)),
        None => (squash(&full), None),
    }
}

/// Leading digits, commas ignored, anything after them too: "45,210" and "45210 mi" -> 45210.
fn parse_int(s: &str) -> Option<i64> {
    let s = s.trim();
    let (sign, rest) = s.strip_prefix('-').map_or((1, s), |r| (-1, r));
    let digits: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ',')
        .filter(|c| *c != ',')
        .collect();
    digits.parse::<i64>().ok().map(|n| sign * n)
}

/// "$1,412.50/mo" -> 141250 cents.
fn parse_cents(s: &str) -> Option<i64> {
    let s: String = s.chars().filter(|c| *c != ',' && !c.is_whitespace()).collect();
    let s = s.trim_start_matches(|c: char| !(c.is_ascii_digit() || c == '-' || c == '.'));
    let end = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
        .unwrap_or(s.len());
    let amount = s[..end].parse::<f64>().ok().filter(|f| f.abs() < 1e13)?;
    Some((amount * 100.0).round() as i64)
}

/// Loose date-times; without an offset they are taken as UTC. Unparseable -> None.
fn parse_datetime(s: &str) -> Option<DateTime<Utc>> {
    const ZONED: [&str; 4] = [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f %z",
        "%Y-%m-%dT%H:%M%z",
    ];
    const NAIVE: [&str; 8] = [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%m/%d/%Y %I:%M:%S %p",
        "%m/%d/%Y %I:%M %p",
        "%m/%d/%Y %H:%M:%S",
        "%m/%d/%Y %H:%M",
    ];
    let s = s.trim();
    let s = s
        .strip_suffix(['Z', 'z'])
        .map_or_else(|| s.to_string(), |r| format!("{r}+00:00"));
    ZONED
        .iter()
        .find_map(|f| DateTime::parse_from_str(&s, f).ok())
        .map(|d| d.with_timezone(&Utc))
        .or_else(|| {
            let naive = NAIVE.iter().find_map(|f| NaiveDateTime::parse_from_str(&s, f).ok());
            naive
                .or_else(|| parse_date(&s)?.and_hms_opt(0, 0, 0))
                .map(|d| d.and_utc())
        })
}

/// A calendar date, or the date part of a date-time as written.
fn parse_date(s: &str) -> Option<NaiveDate> {
    let day = s.trim().split([' ', 'T']).next()?;
    ["%Y-%m-%d", "%m/%d/%Y"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(day, f).ok())
}

fn phone(raw: String, kind: Option<&str>) -> ParsedPhone {
    ParsedPhone {
        raw,
        kind: kind.map(str::to_lowercase),
    }
}

/// Rank of a phone type (lower is better), None for fax.
fn phone_rank(kind: Option<&str>) -> Option<u8> {
    let k = kind.unwrap_or("");
    let has = |words: &[&str]| words.iter().any(|w| k.contains(w));
    Some(match () {
        _ if has(&["fax"]) => return None,
        _ if has(&["mobile", "cell", "sms", "text", "wireless"]) => 0,
        _ if k.is_empty() || k == "voice" || k == "phone" => 1,
        _ if has(&["home"]) => 2,
        _ if has(&["work", "office", "business"]) => 3,
        _ => 4,
    })
}

/// Best first (stable), fax dropped, the same number given twice kept once.
fn rank_phones(phones: Vec<ParsedPhone>) -> Vec<ParsedPhone> {
    let mut ranked: Vec<(u8, ParsedPhone)> = phones
        .into_iter()
        .filter_map(|p| Some((phone_rank(p.kind.as_deref())?, p)))
        .collect();
    ranked.sort_by_key(|(rank, _)| *rank);
    let mut seen = HashSet::new();
    let digits = |raw: &str| raw.chars().filter(char::is_ascii_digit).collect::<String>();
    ranked
        .into_iter()
        .filter(|(_, p)| seen.insert(digits(&p.raw)))
        .map(|(_, p)| p)
        .collect()
}

/// Fills vehicle_interest/preferred_vehicle from the first vehicle that `wanted` accepts.
fn describe_interest(lead: &mut ParsedLead, wanted: impl Fn(Option<&str>) -> bool) {
    let Some(v) = lead.vehicles.iter().find(|v| wanted(v.interest.as_deref())) else {
        return;
    };
    let year = v.year.map(|y| y.to_string());
    let words =
        |parts: &[&Option<String>]| squash(&parts.iter().filter_map(|p| p.as_deref()).collect::<Vec<_>>().join(" "));
    let Some(car) = words(&[&year, &v.make, &v.model]) else {
        return;
    };
    let summary = words(&[&v.interest, &v.status, &Some(car.clone())]);
    let preferred = words(&[&Some(car), &v.trim]);
    lead.vehicle_interest = lead.vehicle_interest.take().or(summary);
    lead.preferred_vehicle = lead.preferred_vehicle.take().or(preferred);
}

// ---------------------------------------------------------------- ADF/XML

/// An element: lower-cased local name, attributes (lower-cased names), direct text, children.
#[derive(Default)]
struct Node {
    name: String,
    attrs: Vec<(String, String)>,
    text: String,
    children: Vec<usize>,
}

/// Elements in document order; nodes[0] is the document itself. Flat, so no recursion anywhere.
struct Doc {
    nodes: Vec<Node>,
}

impl Doc {
    fn kids<'a>(&'a self, n: usize, name: &'a str) -> impl Iterator<Item = usize> + 'a {
        self.nodes[n]
            .children
            .iter()
            .copied()
            .filter(move |&c| self.nodes[c].name == name)
    }
    fn kid(&self, n: usize, name: &str) -> Option<usize> {
        self.kids(n, name).next()
    }
    fn attr(&self, n: usize, name: &str) -> Option<String> {
        self.nodes[n]
            .attrs
            .iter()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| squash(v))
    }
    /// The squashed text of the first child `name` that has any.
    fn text(&self, n: usize, name: &str) -> Option<String> {
        self.kids(n, name).find_map(|c| squash(&self.nodes[c].text))
    }
}

fn xml_error(body: &[u8], pos: u64, what: impl std::fmt::Display) -> LeadParseError {
    let pos = usize::try_from(pos).unwrap_or(usize::MAX).min(body.len());
    let line_start = body[..pos].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let line = body[..pos].iter().filter(|&&b| b == b'\n').count() + 1;
    LeadParseError::MalformedXml(format!("{what} (line {line}, column {})", pos - line_start + 1))
}

fn local_name(raw: &[u8]) -> String {
    decode(raw.rsplit(|&b| b == b':').next().unwrap_or(raw)).to_lowercase()
}

fn resolve_entity(name: &str) -> String {
    let num = name
        .strip_prefix("#x")
        .or_else(|| name.strip_prefix("#X"))
        .map(|h| u32::from_str_radix(h, 16));
    let num = num.or_else(|| name.strip_prefix('#').map(str::parse::<u32>));
    match (num, quick_xml::escape::resolve_predefined_entity(name)) {
        (Some(n), _) => n.ok().and_then(char::from_u32).map(String::from).unwrap_or_default(),
        (None, Some(s)) => s.to_string(),
        (None, None) if name == "nbsp" => " ".into(),
        (None, None) => format!("&{name};"),
    }
}

fn read_xml(body: &[u8]) -> Result<Doc, LeadParseError> {
    let mut reader = Reader::from_reader(body);
    reader.config_mut().check_end_names = false; // checked below, ignoring case
    reader.config_mut().allow_dangling_amp = true; // "AT&T", "Smith & Sons"
    let mut nodes = vec![Node::default()];
    let mut stack = vec![0];
    loop {
        let start = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| xml_error(body, reader.error_position(), e))?;
        let top = stack.last().copied().unwrap_or(0);
        let text = match &event {
            Event::Start(e) | Event::Empty(e) => {
                let attrs = e.html_attributes().flatten();
                let attrs = attrs
                    .map(|a| (local_name(a.key.as_ref()), decode(&a.value)))
                    .collect::<Vec<_>>();
                let attrs = attrs
                    .into_iter()
                    .map(|(k, v)| (k, quick_xml::escape::unescape(&v).map_or(v.clone(), |u| u.into())));
                nodes.push(Node {
                    name: local_name(e.name().as_ref()),
                    attrs: attrs.collect(),
                    ..Node::default()
                });
                let id = nodes.len() - 1;
                nodes[top].children.push(id);
                if matches!(event, Event::Start(_)) {
                    stack.push(id);
                }
                continue;
            }
            Event::End(e) => {
                let name = local_name(e.name().as_ref());
                if top == 0 || nodes[top].name != name {
                    return Err(xml_error(body, start, format!("unexpected </{name}>")));
                }
                stack.pop();
                continue;
            }
            Event::Text(t) => decode(t),
            Event::CData(t) => decode(t),
            Event::GeneralRef(r) => resolve_entity(&decode(r)),
            Event::Eof if top != 0 => {
                let what = format!("the document ends before <{}> is closed", nodes[top].name);
                return Err(xml_error(body, body.len() as u64, what));
            }
            Event::Eof => break,
            _ => continue, // the XML declaration, <?adf ...?>, comments, DOCTYPE
        };
        if top == 0 && !text.trim().is_empty() {
            return Err(xml_error(body, start, "text outside the root element"));
        }
        nodes[top].text.push_str(&text);
    }
    if nodes.len() == 1 {
        return Err(LeadParseError::MalformedXml("no XML element in the body".into()));
    }
    Ok(Doc { nodes })
}

/// One [`ParsedLead`] per `<prospect>` (names of elements and attributes in any case).
pub fn parse_adf(body: &[u8]) -> Result<Vec<ParsedLead>, LeadParseError> {
    let body = strip_bom(body);
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(Empty);
    }
    let doc = read_xml(body)?;
    let prospects = (0..doc.nodes.len()).filter(|&n| doc.nodes[n].name == "prospect");
    let leads: Vec<ParsedLead> = prospects.map(|p| adf_prospect(&doc, p)).collect();
    if leads.is_empty() {
        return Err(Shape("no <prospect> in the ADF document".into()));
    }
    Ok(leads)
}

fn adf_prospect(doc: &Doc, p: usize) -> ParsedLead {
    let mut lead = ParsedLead {
        requested_at: doc.text(p, "requestdate").and_then(|s| parse_datetime(&s)),
        vehicles: doc.kids(p, "vehicle").map(|v| adf_vehicle(doc, v)).collect(),
        ..ParsedLead::default()
    };
    let mut comments = Vec::new();
    if let Some(c) = doc.kid(p, "customer") {
        let contacts: Vec<usize> = doc.kids(c, "contact").collect();
        let primary = contacts
            .iter()
            .copied()
            .find(|&k| doc.attr(k, "primarycontact").as_deref() == Some("1"));
        adf_contact(doc, primary.or(contacts.first().copied()).unwrap_or(c), &mut lead);
        comments.extend(doc.kids(c, "comments").filter_map(|k| trimmed(&doc.nodes[k].text)));
    }
    comments.extend(doc.kids(p, "comments").filter_map(|k| trimmed(&doc.nodes[k].text)));
    lead.comments = (!comments.is_empty()).then(|| comments.join("\n"));
    let provider = doc.kid(p, "provider");
    lead.provider = provider.and_then(|v| doc.text(v, "name").or_else(|| doc.text(v, "service")));
    let vendor = doc.kid(p, "vendor").and_then(|v| doc.text(v, "vendorname"));
    lead.source = vendor.or_else(|| lead.provider.clone());
    // in ADF a vehicle's interest defaults to "buy"
    describe_interest(&mut lead, |i| matches!(i, None | Some("buy" | "lease" | "test-drive")));
    lead
}

fn adf_contact(doc: &Doc, k: usize, lead: &mut ParsedLead) {
    let mut full = None;
    for n in doc.kids(k, "name") {
        let Some(text) = squash(&doc.nodes[n].text) else {
            continue;
        };
        match doc.attr(n, "part").map(|p| p.to_lowercase()).as_deref() {
            Some("first") => lead.first_name = lead.first_name.take().or(Some(text)),
            Some("last") => lead.last_name = lead.last_name.take().or(Some(text)),
            Some("middle") => {}
            _ => full = full.or(Some(text)),
        }
    }
    if let (None, None, Some(full)) = (&lead.first_name, &lead.last_name, full) {
        (lead.first_name, lead.last_name) = split_name(&full);
    }
    lead.email = doc.kids(k, "email").find_map(|e| clean_email(&doc.nodes[e].text));
    let phones = doc
        .kids(k, "phone")
        .filter_map(|n| Some(phone(squash(&doc.nodes[n].text)?, doc.attr(n, "type").as_deref())));
    lead.phones = rank_phones(phones.collect());
    if let Some(a) = doc.kid(k, "address") {
        let line = |s: usize| {
            doc.attr(s, "line")
                .and_then(|l| l.parse::<u32>().ok())
                .unwrap_or(u32::MAX)
        };
        let mut streets: Vec<(u32, String)> = doc
            .kids(a, "street")
            .filter_map(|s| Some((line(s), squash(&doc.nodes[s].text)?)))
            .collect();
        streets.sort_by_key(|(n, _)| *n);
        lead.address = squash(&streets.into_iter().map(|(_, s)| s).collect::<Vec<_>>().join(", "));
        lead.city = doc.text(a, "city");
        lead.state = doc.text(a, "regioncode");
        lead.postal_code = doc.text(a, "postalcode");
    }
}

fn adf_vehicle(doc: &Doc, v: usize) -> ParsedVehicle {
    let text = |name| doc.text(v, name);
    ParsedVehicle {
        interest: doc.attr(v, "interest").map(|s| s.to_lowercase()),
        status: doc.attr(v, "status").map(|s| s.to_lowercase()),
        year: text("year")
            .and_then(|y| parse_int(&y))
            .and_then(|y| i32::try_from(y).ok()),
        make: text("make"),
        model: text("model"),
        trim: text("trim"),
        vin: text("vin").map(|s| s.to_uppercase()),
        stock: text("stock"),
        odometer: text("odometer").and_then(|o| parse_int(&o)),
    }
}

// ---------------------------------------------------------------- JSON

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A string field; numbers become strings; anything else is an error naming the field.
fn str_value(key: &str, v: Option<&Value>) -> Result<Option<String>, String> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(squash(s)),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(other) => Err(format!("field `{key}` must be a string, got {}", kind(other))),
    }
}

/// A whole-number field (`money`: an amount, in cents); strings with numbers ("72", "$412.50") are parsed.
fn num_value(key: &str, v: Option<&Value>, money: bool) -> Result<Option<i64>, String> {
    let (what, parse, scale): (_, fn(&str) -> Option<i64>, _) = if money {
        ("an amount", parse_cents, 100.0)
    } else {
        ("a number", parse_int, 1.0)
    };
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => parse(s)
            .map(Some)
            .ok_or_else(|| format!("field `{key}`: {s:?} is not {what}")),
        Some(Value::Number(n)) => {
            let n = n.as_f64().map(|f| f * scale).filter(|f| f.abs() < 9e15);
            n.map(|f| Some(f.round() as i64))
                .ok_or_else(|| format!("field `{key}` is out of range"))
        }
        Some(other) => Err(format!("field `{key}` must be {what}, got {}", kind(other))),
    }
}

/// An object, an array of objects, or `{"leads": [...]}`.
pub fn parse_json(body: &[u8]) -> Result<Vec<ParsedLead>, LeadParseError> {
    let body = strip_bom(body);
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(Empty);
    }
    let value: Value = serde_json::from_slice(body).map_err(|e| LeadParseError::MalformedJson(e.to_string()))?;
    let items = match value {
        Value::Array(items) => items,
        Value::Object(mut o) => match o.remove("leads") {
            Some(Value::Array(items)) => items,
            Some(other) => return Err(Shape(format!("field `leads` must be an array, got {}", kind(&other)))),
            None => vec![Value::Object(o)],
        },
        other => {
            return Err(Shape(format!(
                "expected a lead object or an array of them, got {}",
                kind(&other)
            )))
        }
    };
    if items.is_empty() {
        return Err(Shape("no leads in the JSON body".into()));
    }
    let batch = items.len() > 1;
    let at = |i: usize, msg: String| Shape(if batch { format!("lead {i}: {msg}") } else { msg });
    let lead = |(i, item): (usize, &Value)| match item {
        Value::Object(o) => json_lead(o).map_err(|m| at(i, m)),
        other => Err(at(i, format!("expected a lead object, got {}", kind(other)))),
    };
    items.iter().enumerate().map(lead).collect()
}

fn json_lead(o: &Map<String, Value>) -> Result<ParsedLead, String> {
    let s = |key: &str| str_value(key, o.get(key));
    let either = |a: &str, b: &str| Ok::<_, String>(s(a)?.or(s(b)?));
    let mut lead = ParsedLead {
        first_name: s("first_name")?,
        last_name: s("last_name")?,
        ..ParsedLead::default()
    };
    if let (None, None, Some(full)) = (&lead.first_name, &lead.last_name, s("name")?) {
        (lead.first_name, lead.last_name) = split_name(&full);
    }
    let mut phones: Vec<ParsedPhone> = s("phone")?.map(|raw| phone(raw, None)).into_iter().collect();
    for key in ["mobile", "cell"] {
        phones.extend(s(key)?.map(|raw| phone(raw, Some(key))));
    }
    let list = match o.get("phones") {
        Some(Value::Array(list)) => list.as_slice(),
        Some(v @ (Value::String(_) | Value::Number(_))) => std::slice::from_ref(v),
        None | Some(Value::Null) => &[],
        Some(v) => return Err(format!("field `phones` must be an array, got {}", kind(v))),
    };
    for (i, item) in list.iter().enumerate() {
        let (raw, kind) = match item {
            Value::Object(p) => {
                let get = |k: &str| str_value(&format!("phones[{i}].{k}"), p.get(k));
                (
                    get("number")?.or(get("phone")?).or(get("value")?),
                    get("type")?.or(get("kind")?),
                )
            }
            other => (str_value(&format!("phones[{i}]"), Some(other))?, None),
        };
        phones.extend(raw.map(|raw| phone(raw, kind.as_deref())));
    }
    lead.phones = rank_phones(phones);
    lead.email = s("email")?.and_then(|e| clean_email(&e));
    (lead.address, lead.city, lead.state) = (s("address")?, s("city")?, s("state")?);
    (lead.postal_code, lead.timezone) = (either("postal_code", "zip")?, s("timezone")?);
    (lead.source, lead.provider) = (s("source")?, s("provider")?);
    lead.comments = match o.get("comments") {
        Some(Value::String(c)) => trimmed(c), // line breaks kept
        other => str_value("comments", other)?,
    };
    lead.requested_at = either("requested_at", "requestdate")?.and_then(|d| match d.parse::<i64>() {
        Ok(n) if n > 100_000_000_000 => DateTime::from_timestamp_millis(n),
        Ok(n) => DateTime::from_timestamp(n, 0),
        Err(_) => parse_datetime(&d),
    });
    lead.vehicle_interest = s("vehicle_interest")?;
    lead.preferred_vehicle = s("preferred_vehicle")?;
    match o.get("vehicle") {
        Some(Value::Object(v)) => lead.vehicles.push(json_vehicle(v, "vehicle.", false)?),
        Some(Value::String(v)) => lead.preferred_vehicle = lead.preferred_vehicle.take().or(squash(v)),
        None | Some(Value::Null) => {}
        Some(v) => return Err(format!("field `vehicle` must be an object, got {}", kind(v))),
    }
    match o.get("vehicles") {
        Some(Value::Array(list)) => {
            for (i, v) in list.iter().enumerate() {
                let Value::Object(v) = v else {
                    return Err(format!("field `vehicles[{i}]` must be an object, got {}", kind(v)));
                };
                lead.vehicles.push(json_vehicle(v, &format!("vehicles[{i}]."), false)?);
            }
        }
        Some(Value::Object(v)) => lead.vehicles.push(json_vehicle(v, "vehicles.", false)?),
        Some(Value::Null) | None => {}
        Some(v) => return Err(format!("field `vehicles` must be an array, got {}", kind(v))),
    }
    if lead.vehicles.is_empty() {
        let v = json_vehicle(o, "", true)?;
        if v != ParsedVehicle::default() {
            lead.vehicles.push(v);
        }
    }
    describe_interest(&mut lead, |i| matches!(i, Some("buy" | "lease" | "test-drive")));
    lead.financed_term_months = num_value("financed_term_months", o.get("financed_term_months"), false)?;
    lead.purchased_on = either("purchase_date", "purchased_at")?.and_then(|d| parse_date(&d));
    lead.monthly_payment_cents = num_value("monthly_payment", o.get("monthly_payment"), true)?;
    Ok(lead)
}

/// A vehicle object; at the top level of a lead only its vehicle fields count (not interest/status).
fn json_vehicle(v: &Map<String, Value>, path: &str, top_level: bool) -> Result<ParsedVehicle, String> {
    let s = |k: &str| str_value(&format!("{path}{k}"), v.get(k));
    let int = |k: &str| num_value(&format!("{path}{k}"), v.get(k), false);
    let lower = |k: &str| {
        if top_level {
            Ok(None)
        } else {
            s(k).map(|x| x.map(|x| x.to_lowercase()))
        }
    };
    Ok(ParsedVehicle {
        interest: lower("interest")?,
        status: lower("status")?,
        year: int("year")?.and_then(|y| i32::try_from(y).ok()),
        make: s("make")?,
        model: s("model")?,
        trim: s("trim")?,
        vin: s("vin")?.map(|x| x.to_uppercase()),
        stock: s("stock")?,
        odometer: int("odometer")?.or(int("mileage")?),
    })
}
