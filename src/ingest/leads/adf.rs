//! ADF/XML 1.0 (Auto-lead Data Format), read leniently.

use super::*;

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

/// Limits no real ADF document comes near (a few kilobytes, a few dozen elements nested six or
/// seven deep, a handful of attributes each), checked while reading, so a hostile document is
/// refused after a bounded amount of work rather than parsed for seconds.
pub const MAX_ATTRIBUTES: usize = 64;
pub const MAX_DEPTH: usize = 32;
pub const MAX_ELEMENTS: usize = 10_000;
/// The text of one element (comments included), in bytes.
pub const MAX_TEXT_BYTES: usize = 64 * 1024;

/// "(line L, column C)" of a byte offset.
fn position(body: &[u8], pos: u64) -> String {
    let pos = usize::try_from(pos).unwrap_or(usize::MAX).min(body.len());
    let line_start = body[..pos].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let line = body[..pos].iter().filter(|&&b| b == b'\n').count() + 1;
    format!("(line {line}, column {})", pos - line_start + 1)
}

fn xml_error(body: &[u8], pos: u64, what: impl std::fmt::Display) -> LeadParseError {
    LeadParseError::MalformedXml(format!("{what} {}", position(body, pos)))
}

fn too_complex(body: &[u8], pos: u64, what: impl std::fmt::Display) -> LeadParseError {
    LeadParseError::XmlTooComplex(format!("{what} {}", position(body, pos)))
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
                if nodes.len() > MAX_ELEMENTS {
                    let what = format!("the document has more than {MAX_ELEMENTS} elements");
                    return Err(too_complex(body, start, what));
                }
                // the document node is on the stack too, so this element's depth is its length
                if stack.len() > MAX_DEPTH {
                    let what = format!("elements are nested more than {MAX_DEPTH} deep");
                    return Err(too_complex(body, start, what));
                }
                // counted as they are read: checking each name against the ones before it costs
                // the square of their number, so reading stops at the limit
                let mut attrs = Vec::new();
                for (i, attr) in e.html_attributes().enumerate() {
                    if i == MAX_ATTRIBUTES {
                        let what = format!("an element has more than {MAX_ATTRIBUTES} attributes");
                        return Err(too_complex(body, start, what));
                    }
                    if let Ok(a) = attr {
                        let value = decode(&a.value);
                        let value = quick_xml::escape::unescape(&value).map_or(value.clone(), |u| u.into());
                        attrs.push((local_name(a.key.as_ref()), value));
                    }
                }
                nodes.push(Node {
                    name: local_name(e.name().as_ref()),
                    attrs,
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
        if nodes[top].text.len() + text.len() > MAX_TEXT_BYTES {
            let what = format!(
                "the text of <{}> is longer than {} KB",
                nodes[top].name,
                MAX_TEXT_BYTES / 1024
            );
            return Err(too_complex(body, start, what));
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
