//! Helpers shared by the core's unit tests.

/// Every string made of one to `max` of `atoms` one after the other, the
/// shorter first: small enough to test a fast path against a plain one on
/// all of them.
pub fn strings_of(atoms: &[&str], max: usize) -> Vec<String> {
    let mut all = Vec::new();
    let mut level = vec![String::new()];
    for _ in 0..max {
        level = level
            .iter()
            .flat_map(|t| atoms.iter().map(move |a| format!("{t}{a}")))
            .collect();
        all.extend(level.iter().cloned());
    }
    all
}
