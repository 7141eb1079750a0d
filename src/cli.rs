//! The command line: arguments (clap), the non-interactive commands and
//! their output, and the exit codes (0 ok, 1 broken links with `--strict`,
//! 2 usage or I/O error, which wins over 1: a check that could not read
//! everything is not a result).

use crate::core::article::{Article, LinkKind};
use crate::core::config::Config;
use crate::core::import::{self, Format};
use crate::core::library::Library;
use crate::core::links::Resolution;
use crate::core::paths::Paths;
use crate::core::sanitize::{json_visible, visible};
use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "baca",
    version,
    about = "A terminal reader for saved news articles that follows their \"Baca juga\" links",
    // A folder named like a command is opened as `baca ./list`.
    subcommand_precedence_over_arg = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Folders, article files, .jsonl exports, tables (.csv, .tsv, .xlsx,
    /// .ods) or feeds (.rss, .atom) to read. Without any: your
    /// library, or the sample library when yours is empty.
    pub paths: Vec<PathBuf>,
    /// Read settings from this file instead of config.toml in the config
    /// folder.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Which columns of a CSV, TSV or spreadsheet hold what, where their
    /// names don't say: `title=judul,body=isi` (roles: title, body, date,
    /// url, author, site, tags).
    #[arg(long, global = true, value_name = "ROLE=COLUMN,...")]
    pub columns: Option<String>,
}

/// Makes `--columns` the columns of every table this run reads.
pub fn init_columns(spec: Option<&str>) -> Result<()> {
    if let Some(spec) = spec {
        let given =
            import::table::parse_overrides(spec).map_err(|e| anyhow::anyhow!("--columns: {e}"))?;
        import::table::set_overrides(given);
    }
    Ok(())
}

/// Tells on stderr which columns each table among `files` was read with.
fn tell_columns<'a>(files: impl Iterator<Item = &'a Path>) {
    for path in files {
        if !matches!(Format::of(path), Some(Format::Table | Format::Sheet)) {
            continue;
        }
        // A table that cannot be read says so among the problems.
        if let Ok(used) = import::table::describe(path) {
            eprintln!("baca: {}: columns {}", shown(path), visible(&used));
        }
    }
}

/// The configuration in force, read once at start (`init_config`).
static CONFIG: std::sync::OnceLock<Config> = std::sync::OnceLock::new();

/// Reads the configuration: `--config FILE`, else config.toml in the config
/// folder. A bad file yields the defaults and a message naming the line.
pub fn init_config(explicit: Option<&Path>) -> Option<String> {
    let (config, problem) = match explicit {
        Some(path) => Config::load_given(path),
        None => match Paths::discover() {
            Some(p) => Config::load(&p.config.join("config.toml")),
            None => (Config::default(), None),
        },
    };
    let _ = CONFIG.set(config);
    problem
}

pub fn config() -> &'static Config {
    CONFIG.get_or_init(Config::default)
}

/// The user's library folder: `library` from the config, else the data
/// folder's.
pub fn library_dir() -> Option<PathBuf> {
    config()
        .library
        .clone()
        .or_else(|| Paths::discover().map(|p| p.library()))
}

/// Why the `library` the config names cannot be used, so the sample is
/// shown instead: the user must hear of it rather than wonder where their
/// articles went. None when it is a folder or none is configured.
pub fn library_problem() -> Option<String> {
    let dir = config().library.as_ref()?;
    let why = match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => return None,
        Ok(_) => "is not a folder",
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => "does not exist",
        Err(_) => "cannot be read",
    };
    Some(format!(
        "library {} (from the config) {why}; showing the sample library",
        shown(dir)
    ))
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Print one article as baca parses it.
    Parse {
        file: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// List the articles of a library.
    List {
        paths: Vec<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Check every "Baca juga" link: resolved, ambiguous or broken.
    Links {
        paths: Vec<PathBuf>,
        #[arg(long)]
        json: bool,
        /// Exit with 1 when any link is broken.
        #[arg(long)]
        strict: bool,
    },
    /// Print the data, config and cache folders baca uses.
    Paths,
    /// Import articles (text, Markdown, saved web pages, JSON and JSON Lines
    /// exports, CSV/TSV tables, spreadsheets and feeds) into your library
    /// as text files; the same article is not added twice.
    Add {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The library folder to add to (default: the one `baca paths` shows).
        #[arg(long, value_name = "DIR")]
        library: Option<PathBuf>,
    },
    /// Search titles and text: all words must match, "quoted phrase", the
    /// last word as a prefix, one typo forgiven, Indonesian affixes undone.
    Search {
        query: String,
        paths: Vec<PathBuf>,
        #[arg(long)]
        json: bool,
        /// How many results to print.
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Write a synthetic library for benchmarks (see benches/measure.sh).
    #[command(hide = true)]
    Generate {
        dir: PathBuf,
        #[arg(long)]
        articles: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

pub const EXIT_BROKEN: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

/// Runs a non-interactive command. Output errors from a closed pipe
/// (`baca list | head`) end the command quietly.
pub fn run(command: Command) -> Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let result = match command {
        Command::Parse { file, json } => cmd_parse(&file, json, &mut out),
        Command::List { paths, json } => cmd_list(&paths, json, &mut out),
        Command::Links {
            paths,
            json,
            strict,
        } => cmd_links(&paths, json, strict, &mut out),
        Command::Paths => cmd_paths(&mut out),
        Command::Add { paths, library } => cmd_add(&paths, library, &mut out),
        Command::Search {
            query,
            paths,
            json,
            limit,
        } => cmd_search(&query, &paths, json, limit, &mut out),
        Command::Generate {
            dir,
            articles,
            seed,
        } => cmd_generate(&dir, articles, seed, &mut out),
    };
    let flushed = out.flush();
    match result.and_then(|code| flushed.map(|_| code).map_err(Into::into)) {
        Err(e) if is_broken_pipe(&e) => Ok(ExitCode::SUCCESS),
        // Errors name paths, and the caller prints them to a terminal.
        Err(e) => Err(anyhow::anyhow!("{}", visible(&format!("{e:#}")))),
        ok => ok,
    }
}

/// A path for a person to read (see [`visible`]).
fn shown(path: &Path) -> String {
    visible(&path.display().to_string()).into_owned()
}

/// `n` and the noun, singular for one: "1 link", "2 links". The reader
/// counts with it too.
pub(crate) fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `value` as JSON, pretty or compact, with no character that acts on a
/// terminal left raw (see [`json_visible`]): `--json` output is often read
/// on one.
fn write_json(out: &mut impl Write, value: &impl Serialize, pretty: bool) -> Result<()> {
    let text = if pretty {
        serde_json::to_string_pretty(value)?
    } else {
        serde_json::to_string(value)?
    };
    out.write_all(json_visible(&text).as_bytes())?;
    Ok(())
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// The library the command works on, with its problems reported on stderr.
/// The returned flag is true when any path could not be read.
pub fn load_library(paths: &[PathBuf]) -> (Library, bool) {
    load_library_with(paths, Library::load)
}

/// [`load_library`] with another loader for given paths.
fn load_library_with(paths: &[PathBuf], load: fn(&[PathBuf]) -> Library) -> (Library, bool) {
    let lib = if paths.is_empty() {
        if let Some(p) = library_problem() {
            eprintln!("baca: warning: {p}");
        }
        Library::load_default(library_dir().as_deref())
    } else {
        load(paths)
    };
    tell_columns(lib.files.iter().map(|f| f.path.as_path()));
    let io_failed = report_problems(&lib);
    (lib, io_failed)
}

/// Prints the problems met reading `lib` to stderr; whether one was an
/// I/O error (the exit code says so).
fn report_problems(lib: &Library) -> bool {
    for p in &lib.problems {
        let kind = if p.io { "error" } else { "warning" };
        eprintln!("baca: {kind}: {}", visible(&p.to_string()));
    }
    lib.problems.iter().any(|p| p.io)
}

fn exit(io_failed: bool) -> ExitCode {
    if io_failed {
        ExitCode::from(EXIT_ERROR)
    } else {
        ExitCode::SUCCESS
    }
}

fn cmd_parse(file: &Path, json: bool, out: &mut impl Write) -> Result<ExitCode> {
    let feed_as_page = Format::of(file) == Some(Format::Html)
        && std::fs::read(file).is_ok_and(|b| import::feed::is_feed(&b));
    if feed_as_page
        || matches!(
            Format::of(file),
            Some(Format::Json | Format::JsonLines | Format::Table | Format::Sheet | Format::Feed)
        )
    {
        tell_columns(std::iter::once(file));
        return parse_export(file, json, out);
    }
    let bytes = crate::core::files::read(file, crate::core::files::MAX_BYTES)
        .with_context(|| format!("cannot read {}", file.display()))?;
    let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let format = Format::of(file).unwrap_or(Format::Native);
    let article = import::parse_bytes(&bytes, name, format)
        .map_err(|skip| anyhow::anyhow!("{}: {skip}", file.display()))?;
    if json {
        write_json(out, &article, true)?;
        writeln!(out)?;
    } else {
        write_article(&article, out)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// An export read as `baca list` and the reader read it: every article it
/// holds, as a JSON array or one after another under the place it sits
/// (`export.jsonl:2`). Bad lines are warnings; an export with none good is
/// an error.
fn parse_export(file: &Path, json: bool, out: &mut impl Write) -> Result<ExitCode> {
    let read = crate::core::library::read_file(file);
    if read.articles.is_empty() {
        if let Some(p) = read.problems.iter().find(|p| p.io) {
            anyhow::bail!("cannot read {p}");
        }
        if let Some(p) = read.problems.first() {
            anyhow::bail!("{p}");
        }
    }
    for p in &read.problems {
        eprintln!("baca: warning: {}", visible(&p.to_string()));
    }
    if json {
        let articles: Vec<&Article> = read.articles.iter().map(|(a, _)| a).collect();
        write_json(out, &articles, true)?;
        writeln!(out)?;
    } else {
        for (i, (a, _)) in read.articles.iter().enumerate() {
            if i > 0 {
                writeln!(out)?;
            }
            writeln!(out, "== {}", visible(&a.origin))?;
            write_article(a, out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn write_article(a: &Article, out: &mut impl Write) -> Result<()> {
    use crate::core::article::Block;
    writeln!(out, "{}", a.title)?;
    let meta: Vec<String> = [
        ("date", &a.meta.date),
        ("source", &a.meta.source),
        ("author", &a.meta.author),
        ("url", &a.meta.url),
    ]
    .iter()
    .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}: {v}")))
    .collect();
    if !meta.is_empty() {
        writeln!(out, "{}", meta.join(" · "))?;
    }
    for block in &a.blocks {
        writeln!(out)?;
        match block {
            Block::Heading { text } => writeln!(out, "## {text}")?,
            Block::Paragraph { text } => writeln!(out, "{text}")?,
            Block::Link(link) => match &link.target {
                Some(t) => writeln!(out, "→ [{}] {t}", link.marker)?,
                None => writeln!(out, "→ [{}] (no title)", link.marker)?,
            },
        }
    }
    for p in &a.problems {
        writeln!(out, "\nproblem: {}", visible(p))?;
    }
    Ok(())
}

#[derive(Serialize)]
struct ListItem<'a> {
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    path: &'a str,
    links: usize,
    backlinks: usize,
}

fn cmd_list(paths: &[PathBuf], json: bool, out: &mut impl Write) -> Result<ExitCode> {
    let (lib, io_failed) = load_library(paths);
    let items: Vec<ListItem> = lib
        .ids()
        .map(|id| {
            let a = lib.article(id);
            ListItem {
                title: &a.title,
                date: a.meta.date.as_deref(),
                source: a.meta.source.as_deref(),
                path: &a.origin,
                links: lib.graph.outgoing[id.index()].len(),
                backlinks: lib.graph.backlinks[id.index()].len(),
            }
        })
        .collect();
    if json {
        write_json(out, &serde_json::json!({ "articles": items }), true)?;
        writeln!(out)?;
    } else {
        for item in &items {
            let by = item.date.or(item.source).unwrap_or("");
            // Titles and bylines were cleaned by the parser; paths are as
            // the file system has them.
            writeln!(out, "{}\t{by}\t{}", item.title, visible(item.path))?;
        }
        let from = if lib.is_sample {
            " (the sample library)"
        } else {
            ""
        };
        writeln!(out, "{}{from}", count(items.len(), "article", "articles"))?;
    }
    Ok(exit(io_failed))
}

/// One link of the report; fields in the order `--json` prints them.
#[derive(Serialize)]
struct LinkItem<'a> {
    from: &'a str,
    from_path: &'a str,
    text: &'a str,
    target: Option<&'a str>,
    status: &'static str,
    to: Option<&'a str>,
    to_path: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    candidates: Option<Vec<&'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'static str>,
}

/// Every link of the library in library order, as the report shows it.
fn link_items(lib: &Library) -> impl Iterator<Item = LinkItem<'_>> {
    lib.ids().flat_map(move |id| {
        let a = lib.article(id);
        lib.graph.outgoing[id.index()]
            .iter()
            .filter_map(move |out| {
                let link = a.blocks[out.block].as_link()?;
                let (to, candidates, reason) = match &out.resolution {
                    Resolution::Resolved(t) => (Some(lib.article(*t)), None, None),
                    Resolution::Ambiguous(c) => (
                        None,
                        Some(c.iter().map(|&c| lib.article(c).title.as_str()).collect()),
                        None,
                    ),
                    Resolution::Broken(b) => (None, None, Some(b.reason())),
                };
                Some(LinkItem {
                    from: &a.title,
                    from_path: &a.origin,
                    text: &link.text,
                    target: link.target.as_deref(),
                    // A video is neither resolved nor broken: no library of
                    // articles can hold it.
                    status: if out.kind == LinkKind::Video {
                        "video"
                    } else {
                        out.resolution.status()
                    },
                    to: to.map(|t| t.title.as_str()),
                    to_path: to.map(|t| t.origin.as_str()),
                    candidates,
                    reason,
                })
            })
    })
}

/// How many links the report holds, and how many of each status.
#[derive(Default)]
struct LinkCounts {
    links: usize,
    resolved: usize,
    ambiguous: usize,
    /// Article links that go nowhere: what `--strict` fails on.
    broken: usize,
    /// "Simak juga Video: …": no library of articles can hold them, so
    /// they are counted apart and never fail `--strict`.
    videos: usize,
}

fn link_counts(lib: &Library) -> LinkCounts {
    let mut counts = LinkCounts::default();
    for id in lib.ids() {
        let a = lib.article(id);
        for out in &lib.graph.outgoing[id.index()] {
            if a.blocks[out.block].as_link().is_none() {
                continue;
            }
            counts.links += 1;
            match out.resolution {
                _ if out.kind == LinkKind::Video => counts.videos += 1,
                Resolution::Resolved(_) => counts.resolved += 1,
                Resolution::Ambiguous(_) => counts.ambiguous += 1,
                Resolution::Broken(_) => counts.broken += 1,
            }
        }
    }
    counts
}

/// The report as compact JSON, written item by item as it is walked: a
/// library of 100,000 articles has a quarter of a million links, and a tree
/// of them would cost memory and time for nothing.
fn write_links_json(lib: &Library, counts: &LinkCounts, out: &mut impl Write) -> Result<()> {
    write!(
        out,
        "{{\"articles\":{},\"links\":{},\"resolved\":{},\"ambiguous\":{},\"broken\":{},\"videos\":{},\"items\":[",
        lib.len(),
        counts.links,
        counts.resolved,
        counts.ambiguous,
        counts.broken,
        counts.videos
    )?;
    for (i, item) in link_items(lib).enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        write_json(out, &item, false)?;
    }
    out.write_all(b"]}\n")?;
    Ok(())
}

fn cmd_links(
    paths: &[PathBuf],
    json: bool,
    strict: bool,
    out: &mut impl Write,
) -> Result<ExitCode> {
    // The report needs the links, not the text around them.
    let (lib, io_failed) = load_library_with(paths, Library::load_links_only);
    let counts = link_counts(&lib);
    if json {
        // Megabytes of report: fewer, larger writes.
        let mut big = std::io::BufWriter::with_capacity(1 << 20, &mut *out);
        write_links_json(&lib, &counts, &mut big)?;
        big.flush()?;
    } else {
        let mut last_from = "";
        for item in link_items(&lib) {
            if item.from_path != last_from {
                writeln!(out, "{}  ({})", item.from, visible(item.from_path))?;
                last_from = item.from_path;
            }
            let target = item.target.unwrap_or("(no title)");
            match item.status {
                "resolved" => writeln!(out, "  ok      {target}")?,
                "ambiguous" => writeln!(
                    out,
                    "  AMBIG   {target}\n          could be: {}",
                    item.candidates.as_deref().unwrap_or_default().join(" | ")
                )?,
                "video" => writeln!(out, "  video   {target}")?,
                _ => writeln!(out, "  BROKEN  {target}  ({})", item.reason.unwrap_or(""))?,
            }
        }
        writeln!(
            out,
            "{}, {}: {} resolved, {} ambiguous, {} broken, {}",
            count(lib.len(), "article", "articles"),
            count(counts.links, "link", "links"),
            counts.resolved,
            counts.ambiguous,
            counts.broken,
            count(counts.videos, "video", "videos")
        )?;
    }
    // Freeing every article one by one would take longer than the rest of
    // the process: its memory goes back to the system at exit anyway.
    std::mem::forget(lib);
    if io_failed {
        return Ok(ExitCode::from(EXIT_ERROR));
    }
    if strict && counts.broken > 0 {
        return Ok(ExitCode::from(EXIT_BROKEN));
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct SearchHit<'a> {
    title: &'a str,
    path: &'a str,
    score: f32,
    snippet: &'a str,
}

fn cmd_search(
    text: &str,
    paths: &[PathBuf],
    json: bool,
    limit: usize,
    out: &mut impl Write,
) -> Result<ExitCode> {
    use crate::core::search::Query;
    let (lib, index, io_failed) = searchable(paths);
    // Parsed as the prompt parses it, so a script sees what the reader
    // shows: the last word is a prefix unless the query ends with a space.
    let query = Query::parse(text);
    let results = index.search(&lib, &query, limit);
    let hits: Vec<SearchHit> = results
        .hits
        .iter()
        .map(|h| {
            let a = lib.article(h.id);
            SearchHit {
                title: &a.title,
                path: &a.origin,
                score: h.score,
                snippet: &h.snippet,
            }
        })
        .collect();
    if json {
        let report = serde_json::json!({ "query": text, "total": results.total, "hits": hits });
        write_json(out, &report, true)?;
        writeln!(out)?;
    } else {
        for (i, (hit, h)) in hits.iter().zip(&results.hits).enumerate() {
            match lib.article(h.id).byline() {
                Some(by) => writeln!(out, "{:>3}. {}  ({by})", i + 1, hit.title)?,
                None => writeln!(out, "{:>3}. {}", i + 1, hit.title)?,
            }
            if !hit.snippet.is_empty() {
                writeln!(out, "     {}", hit.snippet)?;
            }
            writeln!(out, "     {}", visible(hit.path))?;
        }
        let matching = count(results.total, "matching article", "matching articles");
        writeln!(out, "{} of {matching}", hits.len())?;
    }
    Ok(exit(io_failed))
}

/// The library of `paths` (the user's when none) and its search index, as
/// the reader keeps them in the cache folder: the library from its cache,
/// checked against the files, and the stored index when it is for this
/// library (brought up to date when only some files changed). What had to
/// be read or built is stored for the next search and the next start. The
/// sample library, and a machine without a cache folder, read and build.
fn searchable(paths: &[PathBuf]) -> (Library, crate::core::search::SearchIndex, bool) {
    use crate::core::cache::{self, CachePaths};
    use crate::core::search::SearchIndex;
    let roots: Vec<PathBuf> = if paths.is_empty() {
        library_dir().filter(|d| d.is_dir()).into_iter().collect()
    } else {
        paths.to_vec()
    };
    let cache = Paths::discover()
        .filter(|_| !roots.is_empty())
        .map(|p| CachePaths::new(&p.cache, &roots));
    let uncached = || {
        let (lib, io_failed) = load_library(paths);
        let index = SearchIndex::build(&lib);
        (lib, index, io_failed)
    };
    let Some(cache) = cache else {
        return uncached();
    };
    let opened = cache::open(&roots, Some(&cache));
    if let Some(problem) = &opened.cache_problem {
        eprintln!("baca: warning: cache {}", visible(problem));
    }
    let mut lib = opened.lib;
    let mut before = None;
    if opened.from_cache {
        if let Some((new, changes)) = cache::refresh(&lib) {
            // Failing to write only costs the next start its speed.
            let _ = cache::save(&new, &cache.library);
            before = Some((std::mem::replace(&mut lib, new), changes));
        }
    }
    if lib.is_empty() && paths.is_empty() {
        // An empty library folder: the sample, as everywhere.
        return uncached();
    }
    // Asked twice after a change (for the new library, then the old): one
    // warning is enough.
    let warned = std::cell::Cell::new(false);
    let stored = |of: &Library| match SearchIndex::load(&cache.index, cache::fingerprint(of)) {
        Ok(index) => Some(index),
        Err(e) => {
            if e.is_damage() && !warned.replace(true) {
                eprintln!("baca: warning: {}: {e}; rebuilt", shown(&cache.index));
            }
            None
        }
    };
    let index = match stored(&lib) {
        Some(index) => index,
        None => {
            let updated = before.as_ref().and_then(|(old, changes)| {
                stored(old).and_then(|index| index.update(&lib, changes))
            });
            let index = updated.unwrap_or_else(|| SearchIndex::build(&lib));
            // Failing to write only costs the next search a rebuild.
            let _ = index.save(&cache.index, cache::fingerprint(&lib));
            index
        }
    };
    let io_failed = report_problems(&lib);
    (lib, index, io_failed)
}

fn cmd_add(paths: &[PathBuf], library: Option<PathBuf>, out: &mut impl Write) -> Result<ExitCode> {
    use crate::core::import::add::{self, Outcome};
    // Where `baca list` and the reader look: the config's folder, else the
    // data folder's.
    let library = match library.or_else(library_dir) {
        Some(dir) => dir,
        None => anyhow::bail!("no home folder: cannot place the library; use --library DIR"),
    };
    let (files, _) = crate::core::library::walk(paths);
    tell_columns(files.iter().map(PathBuf::as_path));
    let report = add::add(paths, &library)?;
    for w in &report.warnings {
        eprintln!("baca: warning: {}", visible(&w.to_string()));
    }
    for outcome in &report.outcomes {
        match outcome {
            Outcome::Added { origin, file, .. } => {
                let name = file.strip_prefix(&library).unwrap_or(file);
                let (name, origin) = (shown(name), visible(origin));
                writeln!(out, "added    {name}  ({origin})")?
            }
            Outcome::Duplicate {
                origin,
                title,
                of,
                rule,
            } => {
                let line = format!("{origin}: duplicate of {of}, {rule} ({title})");
                writeln!(out, "skipped  {}", visible(&line))?
            }
            Outcome::Skipped { origin, reason, io } => {
                let line = format!("{origin}: {reason}");
                let line = visible(&line);
                if *io {
                    eprintln!("baca: error: {line}");
                }
                writeln!(out, "skipped  {line}")?
            }
        }
    }
    writeln!(
        out,
        "{} added, {} skipped ({}) in {}",
        report.added(),
        report.skipped() + report.duplicates(),
        count(report.duplicates(), "duplicate", "duplicates"),
        shown(&library)
    )?;
    Ok(exit(report.io_failed()))
}

fn cmd_paths(out: &mut impl Write) -> Result<ExitCode> {
    let paths = Paths::discover().context("no home folder: cannot place the library")?;
    // The library the other commands use: the config's when it names one.
    let library = library_dir().unwrap_or_else(|| paths.library());
    for (name, path) in [
        ("library", &library),
        ("data", &paths.data),
        ("config", &paths.config),
        ("cache", &paths.cache),
    ] {
        writeln!(out, "{name:<8} {}", shown(path))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn cmd_generate(dir: &Path, articles: usize, seed: u64, out: &mut impl Write) -> Result<ExitCode> {
    let bytes = crate::core::generate::write_library(dir, articles, seed)
        .with_context(|| format!("cannot write the library to {}", dir.display()))?;
    writeln!(
        out,
        "{}, {bytes} bytes, written to {}",
        count(articles, "article", "articles"),
        shown(dir)
    )?;
    Ok(ExitCode::SUCCESS)
}
