//! Choices that are grades ("Excellent / Good / Fair / Poor", "Great / OK / Poor"): a reply
//! that grades with a number picks the grade it comes nearest. A rating out of 5 or 10 ("1
//! out of 10", "4/5", "5 stars") is placed on the grades from worst to best; a credit score
//! (300-850) on the credit tiers (FICO's bands: 800 and up exceptional, 740 very good, 670
//! good, 580 fair, under 580 poor).

use super::super::text::{tokens, word, Token};
use super::super::Parsed;

/// Grades, each with where it sits from worst (0) to best (1).
const GRADES: &[(&str, f64)] = &[
    ("terrible", 0.0),
    ("awful", 0.0),
    ("rebuilding", 0.05),
    ("poor", 0.15),
    ("bad", 0.15),
    ("fair", 0.45),
    ("average", 0.5),
    ("ok", 0.5),
    ("okay", 0.5),
    ("good", 0.7),
    ("great", 0.9),
    ("excellent", 1.0),
    ("amazing", 1.0),
    ("exceptional", 1.0),
];

fn grade(choice: &str) -> Option<f64> {
    let folded = choice.to_lowercase();
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if words.contains(&"very") && words.contains(&"good") {
        return Some(0.85);
    }
    match words.as_slice() {
        [w] => GRADES.iter().find(|(g, _)| g == w).map(|(_, v)| *v),
        _ => None,
    }
}

/// The grade a reply's number gives, from 0 to 1: a rating out of 5 or 10, or a credit score.
fn graded(text: &str) -> Option<f64> {
    let t = tokens(text);
    let numbers: Vec<(usize, f64)> = t
        .iter()
        .enumerate()
        .filter_map(|(k, tok)| match tok {
            Token::Number(n) => Some((k, n.value)),
            _ => None,
        })
        .collect();
    let (k, n) = *numbers.first()?;
    // "1 out of 10", "4/5", "5 stars", "a 9"
    let out_of = match (t.get(k + 1), numbers.get(1)) {
        (Some(Token::Mark('/')), Some((_, m))) => Some(*m),
        _ if word(&t, k + 1) == Some("out") && word(&t, k + 2) == Some("of") => numbers.get(1).map(|(_, m)| *m),
        _ if matches!(word(&t, k + 1), Some("stars" | "star")) => Some(5.0),
        _ => None,
    };
    if let Some(m) = out_of.filter(|m| *m >= 3.0 && n <= *m) {
        return Some((n - 1.0).max(0.0) / (m - 1.0));
    }
    // a credit score
    (300.0..=850.0).contains(&n).then_some(match n {
        n if n >= 800.0 => 1.0,
        n if n >= 740.0 => 0.9,
        n if n >= 670.0 => 0.7,
        n if n >= 580.0 => 0.45,
        _ => 0.1,
    })
}

/// The grade a reply's number picks, when two or more choices are grades.
pub(super) fn pick(text: &str, choices: &[&str]) -> Option<Parsed<String>> {
    let grades: Vec<(usize, f64)> = choices
        .iter()
        .enumerate()
        .filter_map(|(k, c)| grade(c).map(|g| (k, g)))
        .collect();
    if grades.len() < 2 {
        return None;
    }
    let g = graded(text)?;
    let (k, _) = grades
        .iter()
        .min_by(|a, b| (a.1 - g).abs().total_cmp(&(b.1 - g).abs()))?;
    Some(Parsed::new(choices[*k].to_string(), 0.75))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_on_grades() {
        let visit = ["Excellent", "Good", "Fair", "Poor"];
        let read = |t: &str, c: &[&str]| pick(t, c).map(|p| p.value);
        assert_eq!(read("1 out of 10, waited hours", &visit).as_deref(), Some("Poor"));
        assert_eq!(read("9/10", &visit).as_deref(), Some("Excellent"));
        assert_eq!(read("3 stars", &visit).as_deref(), Some("Fair"));
        let credit = ["Excellent", "Good", "Fair", "Rebuilding"];
        assert_eq!(read("like 780", &credit).as_deref(), Some("Excellent"));
        assert_eq!(read("around 700", &credit).as_deref(), Some("Good"));
        assert_eq!(read("620 lol", &credit).as_deref(), Some("Fair"));
        assert_eq!(read("540", &credit).as_deref(), Some("Rebuilding"));
        assert_eq!(read("pretty good", &credit), None, "words are read elsewhere");
        assert_eq!(read("4/5", &["Truck", "SUV"]), None);
    }
}
