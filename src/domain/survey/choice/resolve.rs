//! Two or more choices picked: which one, if any, the reply means.

use super::lexicon::{LESSER, MAIN};
use super::{stem, Wanted, BREAK};

/// Of two or more choices picked, the main one: said with "mostly"/"best"/"prefer" while
/// the others are said with "sometimes"/"some"/"if urgent" or nothing, each such word
/// going to the nearest choice in its clause (the next one, else the one before).
pub(super) fn main_choice(reply: &[String], picks: &[(usize, usize, f64)]) -> Option<usize> {
    let clause = |i: usize| {
        reply[..i]
            .iter()
            .filter(|w| *w == BREAK || *w == "but" || *w == "pero")
            .count()
    };
    let mut score: Vec<(usize, i32)> = Vec::new();
    for (j, w) in reply.iter().enumerate() {
        let weight = if MAIN.contains(&w.as_str()) {
            1
        } else if LESSER.contains(&w.as_str()) || (w == "veces" && j > 0 && reply[j - 1] == "a") {
            -1
        } else {
            continue;
        };
        let same: Vec<&(usize, usize, f64)> = picks.iter().filter(|p| clause(p.1) == clause(j)).collect();
        // "work and weekends mostly": said of every choice on its side alike
        let outside = same.iter().all(|p| p.1 > j) || same.iter().all(|p| p.1 < j);
        let targets: Vec<usize> = if outside {
            same.iter().map(|p| p.0).collect()
        } else {
            let next = same.iter().filter(|p| p.1 > j).min_by_key(|p| p.1);
            next.or_else(|| same.iter().filter(|p| p.1 < j).max_by_key(|p| p.1))
                .map(|p| vec![p.0])
                .unwrap_or_default()
        };
        let mut targets = targets;
        targets.sort_unstable();
        targets.dedup();
        for k in targets {
            match score.iter_mut().find(|(c, _)| *c == k) {
                Some((_, s)) => *s += weight,
                None => score.push((k, weight)),
            }
        }
    }
    let mut distinct: Vec<usize> = picks.iter().map(|p| p.0).collect();
    distinct.sort_unstable();
    distinct.dedup();
    let of = |k: usize| score.iter().find(|(c, _)| *c == k).map_or(0, |(_, s)| *s);
    let best = distinct.iter().copied().max_by_key(|k| of(*k))?;
    distinct.iter().all(|k| *k == best || of(*k) < of(best)).then_some(best)
}

/// Of two or more choices picked, the one whose picks include every other's words and
/// more ("weekday evening" is "Weekday evening", not also "Weekday morning").
pub(super) fn fullest_choice(picks: &[(usize, usize, f64)]) -> Option<usize> {
    let at = |k: usize| -> Vec<usize> { picks.iter().filter(|p| p.0 == k).map(|p| p.1).collect() };
    let mut distinct: Vec<usize> = picks.iter().map(|p| p.0).collect();
    distinct.sort_unstable();
    distinct.dedup();
    distinct.iter().copied().find(|k| {
        let mine = at(*k);
        distinct.iter().filter(|o| *o != k).all(|o| {
            let theirs = at(*o);
            theirs.iter().all(|p| mine.contains(p)) && mine.len() > theirs.len()
        })
    })
}

/// Of two or more choices picked, the one said by far the most: at least three words or
/// phrases for it, and more than twice as many as for any other ("oil field, pumper route
/// every day" is Work).
pub(super) fn most_said(picks: &[(usize, usize, f64)]) -> Option<usize> {
    let count = |k: usize| {
        let mut at: Vec<usize> = picks.iter().filter(|p| p.0 == k).map(|p| p.1).collect();
        at.dedup();
        at.len()
    };
    let mut distinct: Vec<usize> = picks.iter().map(|p| p.0).collect();
    distinct.sort_unstable();
    distinct.dedup();
    let best = distinct.iter().copied().max_by_key(|k| count(*k))?;
    let n = count(best);
    (n >= 3 && distinct.iter().all(|k| *k == best || count(*k) * 2 < n)).then_some(best)
}

/// Of two or more choices picked by the same words, the only one the reply names whole:
/// "hybrid" is Hybrid, not also "Plug-in hybrid".
pub(super) fn whole_choice(reply: &[String], wanted: &[Wanted], picks: &[(usize, usize, f64)]) -> Option<usize> {
    let stems: Vec<&str> = reply.iter().map(|w| stem(w)).collect();
    let at = |k: usize| -> Vec<usize> { picks.iter().filter(|p| p.0 == k).map(|p| p.1).collect() };
    let mut picked: Vec<usize> = picks.iter().map(|p| p.0).collect();
    picked.sort_unstable();
    picked.dedup();
    let whole: Vec<usize> = picked
        .iter()
        .copied()
        .filter(|k| !wanted[*k].stems.is_empty() && wanted[*k].stems.iter().all(|s| stems.contains(&s.as_str())))
        .collect();
    let [k] = whole.as_slice() else { return None };
    // every other choice was picked only where this one was
    let mine = at(*k);
    picked
        .iter()
        .filter(|o| *o != k)
        .all(|o| at(*o).iter().all(|p| mine.contains(p)))
        .then_some(*k)
}
