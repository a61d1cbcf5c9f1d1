//! JSON lead submissions.

use super::*;

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
