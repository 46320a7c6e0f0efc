//! Wording shared by every check: "did you mean" suggestions.

/// Up to `max` candidates nearest to `written`, best first: a candidate equal
/// but for case and surrounding blanks comes first, then those within an
/// edit distance of a third of the word (at least 2).
#[must_use]
pub fn nearest<'a>(written: &str, candidates: &[&'a str], max: usize) -> Vec<&'a str> {
    let folded = written.trim().to_lowercase();
    let limit = (folded.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, &'a str)> = candidates
        .iter()
        .filter_map(|&c| {
            let d = strsim::levenshtein(&folded, &c.to_lowercase());
            (d <= limit).then_some((d, c))
        })
        .collect();
    scored.sort_unstable();
    // Equal but for case and blanks: that is the answer, not one of several.
    if scored.first().is_some_and(|(d, _)| *d == 0) {
        scored.retain(|(d, _)| *d == 0);
    }
    scored.into_iter().take(max).map(|(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::nearest;

    #[test]
    fn suggestions() {
        let values = ["bev", "phev", "erev", "ice", "fcev"];
        assert_eq!(nearest("EREV", &values, 3)[0], "erev");
        assert_eq!(nearest("erev ", &values, 3)[0], "erev");
        assert!(nearest("electric", &values, 3).is_empty());
        assert!(nearest("", &values, 3).is_empty());
        assert_eq!(nearest("phve", &values, 3)[0], "phev");
    }
}
