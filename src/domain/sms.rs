//! What an SMS body may be, and what it costs: how many characters and segments a carrier
//! bills it as (GSM-7 when every character is in the GSM 03.38 alphabet, else UCS-2).

/// Longest SMS body accepted, in characters (Twilio's limit is 1,600).
pub const MAX_BODY_CHARS: usize = 1600;

/// How a body is encoded on the air.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// 7-bit GSM alphabet: 160 per single text, 153 per part of a long one
    Gsm7,
    /// UCS-2 (any character outside GSM-7, e.g. an emoji or a curly quote): 70, or 67 per part
    Ucs2,
}

impl Encoding {
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Gsm7 => "GSM-7",
            Encoding::Ucs2 => "UCS-2",
        }
    }
}

/// A body's size as a carrier counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    /// characters as a person counts them (what MAX_BODY_CHARS limits)
    pub chars: usize,
    pub encoding: Encoding,
    /// code units on the air: GSM septets (an extension character takes two) or UTF-16 units
    pub units: usize,
    /// texts the carrier splits it into (0 for an empty body)
    pub segments: usize,
}

impl Size {
    /// "42 characters · 1 text (GSM-7)", shown under the reply box.
    pub fn describe(&self) -> String {
        let texts = if self.segments == 1 { "text" } else { "texts" };
        format!(
            "{} / {MAX_BODY_CHARS} characters · {} {texts} ({})",
            self.chars,
            self.segments,
            self.encoding.as_str()
        )
    }
}

/// The GSM 03.38 basic character set (one septet each).
const GSM_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/// The extension table (an escape and the character: two septets each).
const GSM_EXTENDED: &str = "\u{000C}^{}\\[~]|€";

/// Septets a character takes in GSM-7, or None if it is not in the alphabet.
fn gsm_units(c: char) -> Option<usize> {
    if GSM_BASIC.contains(c) {
        Some(1)
    } else if GSM_EXTENDED.contains(c) {
        Some(2)
    } else {
        None
    }
}

/// The size of `body` as sent (the outbox trims it first; so does this).
pub fn size(body: &str) -> Size {
    let body = body.trim();
    let chars = body.chars().count();
    let gsm: Option<usize> = body.chars().map(gsm_units).sum();
    let (encoding, units, single, part) = match gsm {
        Some(units) => (Encoding::Gsm7, units, 160, 153),
        None => (Encoding::Ucs2, body.encode_utf16().count(), 70, 67),
    };
    let segments = match units {
        0 => 0,
        n if n <= single => 1,
        n => n.div_ceil(part),
    };
    Size {
        chars,
        encoding,
        units,
        segments,
    }
}

/// Why a reply cannot be sent as typed, in words for the page (None: it can).
pub fn check_body(body: &str) -> Option<String> {
    let n = body.trim().chars().count();
    if n == 0 {
        Some("Type a message first: the reply is empty.".into())
    } else if n > MAX_BODY_CHARS {
        Some(format!(
            "The reply is {n} characters; a text can be at most {MAX_BODY_CHARS}. Shorten it by {}.",
            n - MAX_BODY_CHARS
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_gsm7_with_160_then_153_per_part() {
        assert_eq!(size("").segments, 0);
        let s = size("Your car is ready for pickup.");
        assert_eq!((s.encoding, s.chars, s.units, s.segments), (Encoding::Gsm7, 29, 29, 1));
        assert_eq!(size(&"a".repeat(160)).segments, 1);
        assert_eq!(size(&"a".repeat(161)).segments, 2);
        assert_eq!(size(&"a".repeat(306)).segments, 2);
        assert_eq!(size(&"a".repeat(307)).segments, 3);
    }

    #[test]
    fn extension_characters_take_two_septets() {
        let s = size("Price: 50€ [today]");
        assert_eq!(s.encoding, Encoding::Gsm7);
        assert_eq!((s.chars, s.units), (18, 21));
        assert_eq!(size(&"€".repeat(80)).segments, 1);
        assert_eq!(size(&"€".repeat(81)).segments, 2);
    }

    #[test]
    fn one_character_outside_gsm_makes_the_whole_text_ucs2() {
        let s = size("Thanks! 👍");
        assert_eq!(s.encoding, Encoding::Ucs2);
        assert_eq!(
            (s.chars, s.units, s.segments),
            (9, 10, 1),
            "an emoji is two UTF-16 units"
        );
        assert_eq!(size("It’s ready").encoding, Encoding::Ucs2, "a curly apostrophe");
        assert_eq!(size(&"é".repeat(100)).encoding, Encoding::Gsm7, "é is in GSM-7");
        assert_eq!(size(&"ç".repeat(70)).segments, 1);
        assert_eq!(size(&"ç".repeat(71)).segments, 2);
        assert_eq!(size(&"ç".repeat(135)).segments, 3);
        assert_eq!(size("ok").describe(), "2 / 1600 characters · 1 text (GSM-7)");
    }

    #[test]
    fn an_empty_or_too_long_body_is_refused_in_words() {
        assert!(check_body("  \n ").unwrap().contains("empty"));
        assert!(check_body(&"x".repeat(2000)).unwrap().contains("2000 characters"));
        assert_eq!(check_body(&"x".repeat(1600)), None);
        assert_eq!(check_body("hello"), None);
    }
}
