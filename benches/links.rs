//! The link-quality harness (issue 10): reads a JSON Lines corpus together
//! with its labelled "Baca juga" spans and prints, overall and per source,
//! how many labelled links baca finds, resolves to the labelled article and
//! cuts to exactly the labelled title, with and without the labelled
//! targets in the library. It measures quality, not time; it is a bench
//! binary so it builds optimised and stays out of `cargo test`.
//!
//! ```sh
//! cargo bench --bench links                 # ../shared/corpus/v2
//! cargo bench --bench links -- DIR [--misses N] [--source NAME]
//! ```
//!
//! DIR holds `articles.jsonl` (fields `source`, `title`, `body`, …) and
//! `link_spans.jsonl` (`source`, `title_start`, `title_end` in code points,
//! `target_source`). A link is matched to a span by its title's leading
//! folded words, so a title cut wrong is still found and counted as such.
//!
//! "Blind" gives every labelled target a meaningless title before reading,
//! so no library title can say where a link's title ends: only the text.

use baca::core::article::{ArticleId, LinkKind};
use baca::core::library::Library;
use baca::core::links::Resolution;
use baca::core::normalize::normalize;
use baca::core::sanitize::sanitize;
use serde::Deserialize;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

#[derive(Deserialize)]
struct Span {
    source: String,
    title_start: usize,
    title_end: usize,
    target_source: String,
}

/// One labelled span as baca read it.
#[derive(Default, Clone)]
struct Outcome {
    found: bool,
    resolved: bool,
    wrong: bool,
    exact: bool,
    got: String,
}

#[derive(Default)]
struct Tally {
    spans: usize,
    found: usize,
    resolved: usize,
    exact: usize,
    blind_exact: usize,
    wrong: usize,
}

impl Tally {
    fn add(&mut self, o: &Outcome, blind: &Outcome) {
        self.spans += 1;
        self.found += o.found as usize;
        self.resolved += o.resolved as usize;
        self.exact += o.exact as usize;
        self.blind_exact += blind.exact as usize;
        self.wrong += o.wrong as usize;
    }

    fn row(&self, name: &str) {
        let pct = |n: usize| 100.0 * n as f64 / self.spans.max(1) as f64;
        println!(
            "{name:<40} {:>5} {:>6.1} {:>8.1} {:>6.1} {:>6.1} {:>6.2}",
            self.spans,
            pct(self.found),
            pct(self.resolved),
            pct(self.exact),
            pct(self.blind_exact),
            pct(self.wrong),
        );
    }
}

fn main() {
    let mut args = std::env::args().skip(1).filter(|a| a != "--bench");
    let mut dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/v2"));
    let mut misses = 0usize;
    let mut only: Option<String> = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--misses" => misses = args.next().and_then(|n| n.parse().ok()).unwrap_or(20),
            "--source" => only = args.next(),
            _ => dir = PathBuf::from(a),
        }
    }
    let articles_path = dir.join("articles.jsonl");
    let spans_path = dir.join("link_spans.jsonl");
    if !articles_path.exists() || !spans_path.exists() {
        println!(
            "links bench: no corpus at {} (needs articles.jsonl and link_spans.jsonl); skipped",
            dir.display()
        );
        return;
    }
    let text = std::fs::read_to_string(&articles_path).expect("read articles.jsonl");
    let lines: Vec<&str> = text.lines().collect();
    let mut line_of: HashMap<String, usize> = HashMap::new();
    let mut bodies: Vec<Vec<char>> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let v: Value = serde_json::from_str(line).expect("a JSON article");
        line_of.insert(v["source"].as_str().unwrap_or("").to_owned(), i);
        bodies.push(v["body"].as_str().unwrap_or("").chars().collect());
    }
    let spans: Vec<Span> = std::fs::read_to_string(&spans_path)
        .expect("read link_spans.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).expect("a span"))
        .filter(|s: &Span| {
            only.as_ref()
                .is_none_or(|o| s.source.starts_with(o.as_str()))
        })
        .collect();

    let targets: HashSet<usize> = spans
        .iter()
        .filter_map(|s| line_of.get(&s.target_source).copied())
        .collect();
    let scratch = std::env::temp_dir().join(format!("baca-links-bench-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).expect("scratch folder");
    let full = load_as(&scratch.join("full.jsonl"), &lines, &HashSet::new());
    let blind = load_as(&scratch.join("blind.jsonl"), &lines, &targets);
    let _ = std::fs::remove_dir_all(&scratch);

    let seen = measure(&full, &spans, &line_of, &bodies);
    let seen_blind = measure(&blind, &spans, &line_of, &bodies);

    let mut by_source: BTreeMap<String, Tally> = BTreeMap::new();
    let mut all = Tally::default();
    for (i, span) in spans.iter().enumerate() {
        let repo = span.source.split(':').next().unwrap_or("").to_owned();
        by_source
            .entry(repo)
            .or_default()
            .add(&seen[i], &seen_blind[i]);
        all.add(&seen[i], &seen_blind[i]);
    }
    println!(
        "{:<40} {:>5} {:>6} {:>8} {:>6} {:>6} {:>6}",
        "source", "spans", "found", "resolved", "exact", "blind", "wrong"
    );
    for (name, t) in &by_source {
        t.row(name);
    }
    all.row("all");
    let (links, resolved) = full
        .graph
        .outgoing
        .iter()
        .flatten()
        .fold((0, 0), |(n, r), l| {
            (
                n + 1,
                r + matches!(l.resolution, Resolution::Resolved(_)) as usize,
            )
        });
    let videos = full
        .graph
        .outgoing
        .iter()
        .flatten()
        .filter(|l| l.kind == LinkKind::Video)
        .count();
    println!(
        "whole corpus: {} articles, {links} links ({videos} videos), {resolved} resolved",
        full.len()
    );

    if misses > 0 {
        for (kind, seen) in [("exact", &seen), ("blind", &seen_blind)] {
            println!("\n-- {kind} misses (label | got)");
            let mut shown = 0;
            for (i, span) in spans.iter().enumerate() {
                if seen[i].exact || shown >= misses {
                    continue;
                }
                shown += 1;
                let body = &bodies[line_of[&span.source]];
                let label: String = body[span.title_start..span.title_end].iter().collect();
                let after: String = body[span.title_end..(span.title_end + 40).min(body.len())]
                    .iter()
                    .collect();
                println!(
                    "{}\n  label: {label:?} ‖ {after:?}\n  got:   {:?}",
                    span.source, seen[i].got
                );
            }
        }
    }
}

/// Reads the corpus as `baca links FILE` would, with the titles of the
/// lines in `blind` replaced by meaningless ones.
fn load_as(path: &Path, lines: &[&str], blind: &HashSet<usize>) -> Library {
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        if blind.contains(&i) {
            let mut v: Value = serde_json::from_str(line).expect("a JSON article");
            v["title"] = Value::String(format!("zzq blind {i} qzz"));
            out.push_str(&v.to_string());
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    std::fs::write(path, out).expect("write scratch corpus");
    Library::load(&[path.to_path_buf()])
}

/// For each span: the link of its article whose title starts like the
/// label (most leading folded words in common, each link used once).
fn measure(
    lib: &Library,
    spans: &[Span],
    line_of: &HashMap<String, usize>,
    bodies: &[Vec<char>],
) -> Vec<Outcome> {
    let mut used: HashSet<(usize, usize)> = HashSet::new();
    spans
        .iter()
        .map(|span| {
            let Some(&line) = line_of.get(&span.source) else {
                return Outcome::default();
            };
            let body = &bodies[line];
            let label: String = body[span.title_start..span.title_end].iter().collect();
            let label = clean_title(&label);
            let label_words = words(&label);
            let article = lib.article(ArticleId(line as u32));
            let mut best: Option<(usize, usize, String)> = None;
            for (k, out) in lib.graph.outgoing[line].iter().enumerate() {
                if used.contains(&(line, k)) {
                    continue;
                }
                let got = lib
                    .named(out)
                    .map(str::to_owned)
                    .or_else(|| {
                        article.blocks[out.block]
                            .as_link()
                            .and_then(|l| l.target.clone())
                    })
                    .unwrap_or_default();
                let common = words(&got)
                    .iter()
                    .zip(&label_words)
                    .take_while(|(a, b)| a == b)
                    .count();
                if common > 0 && best.as_ref().is_none_or(|b| common > b.1) {
                    best = Some((k, common, got));
                }
            }
            let Some((k, _, _)) = best else {
                return Outcome::default();
            };
            used.insert((line, k));
            let out = &lib.graph.outgoing[line][k];
            let target = line_of
                .get(&span.target_source)
                .map(|&t| ArticleId(t as u32));
            let (resolved, wrong) = match (&out.resolution, target) {
                (Resolution::Resolved(to), Some(t)) => (*to == t, *to != t),
                _ => (false, false),
            };
            // The raw link text, as the parser cut it before the library's
            // titles settled it, is what "exact" asks about when blind.
            let cut = article.blocks[out.block]
                .as_link()
                .and_then(|l| l.target.clone())
                .unwrap_or_default();
            Outcome {
                found: true,
                resolved,
                wrong,
                exact: cut == label,
                got: cut,
            }
        })
        .collect()
}

fn words(s: &str) -> Vec<String> {
    normalize(s).split(' ').map(str::to_owned).collect()
}

/// The label as the parser cleans a title: control characters gone, one
/// space between words.
fn clean_title(s: &str) -> String {
    sanitize(s).split_whitespace().collect::<Vec<_>>().join(" ")
}
