//! Opening other articles from inside the reader: the path prompt (`o`)
//! with Tab completion and a file browser under it, and loading what was
//! chosen as the new library. Part of `update`.

use super::app::{App, Cursor, Level};
use crate::core::cache::{self, CachePaths, Opened};
use crate::core::library::Library;
use crate::core::paths::Paths;
use std::path::{Path, PathBuf};

/// One row of the file browser.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The name shown ("lama/" for a folder); "./" stands for the folder
    /// itself, to open it whole.
    pub name: String,
    pub path: PathBuf,
    pub is_dir: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Browser {
    pub dir: PathBuf,
    pub entries: Vec<Entry>,
    pub cursor: Cursor,
    /// Why the folder could not be listed, if it could not.
    pub error: Option<String>,
}

/// Splits what was typed into the folder to list and the name prefix.
fn split(input: &str) -> (PathBuf, String) {
    let expanded = crate::core::config::expand_tilde(
        input,
        std::env::var_os("HOME").as_deref().map(Path::new),
    );
    let text = expanded.to_string_lossy().into_owned();
    match text.rfind('/') {
        Some(i) => (
            PathBuf::from(if i == 0 { "/" } else { &text[..i] }),
            text[i + 1..].to_owned(),
        ),
        None => (PathBuf::from("."), text),
    }
}

fn openable(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("txt" | "md" | "markdown" | "jsonl" | "ndjson" | "json" | "html" | "htm")
    )
}

/// Lists the folder of `input`: "./" first, then folders, then article
/// files, each starting with the typed prefix (ignoring case).
pub fn list(input: &str) -> Browser {
    let (dir, prefix) = split(input);
    let prefix = prefix.to_lowercase();
    let mut browser = Browser {
        dir: dir.clone(),
        ..Browser::default()
    };
    let read = match std::fs::read_dir(&dir) {
        Ok(r) => r,
        Err(e) => {
            browser.error = Some(format!("{}: {e}", dir.display()));
            return browser;
        }
    };
    let mut entries: Vec<Entry> = read
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') && !prefix.starts_with('.') {
                return None;
            }
            if !name.to_lowercase().starts_with(&prefix) {
                return None;
            }
            let path = e.path();
            let is_dir = path.is_dir();
            (is_dir || openable(&path)).then(|| Entry {
                name: if is_dir { format!("{name}/") } else { name },
                path,
                is_dir,
            })
        })
        .collect();
    entries.sort_by(|a, b| {
        b.is_dir
            .cmp(&a.is_dir)
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
    if prefix.is_empty() {
        entries.insert(
            0,
            Entry {
                name: "./".into(),
                path: dir,
                is_dir: true,
            },
        );
    }
    browser.entries = entries;
    browser
}

/// Tab: completes the input to the selected entry, or to what all entries
/// share when the cursor is on "./".
pub fn complete(app: &mut App) {
    let (Some(prompt), Some(browser)) = (app.prompt.as_mut(), app.browser.as_ref()) else {
        return;
    };
    let real: Vec<&Entry> = browser.entries.iter().filter(|e| e.name != "./").collect();
    let chosen = browser
        .entries
        .get(browser.cursor.selected)
        .filter(|e| e.name != "./");
    let completion = match (chosen, real.as_slice()) {
        (Some(e), _) => {
            Some(e.path.to_string_lossy().into_owned() + if e.is_dir { "/" } else { "" })
        }
        (None, [only]) => {
            Some(only.path.to_string_lossy().into_owned() + if only.is_dir { "/" } else { "" })
        }
        (None, many) if !many.is_empty() => {
            let names: Vec<&str> = many.iter().map(|e| e.name.trim_end_matches('/')).collect();
            let common = common_prefix(&names);
            (!common.is_empty()).then(|| browser.dir.join(common).to_string_lossy().into_owned())
        }
        _ => None,
    };
    if let Some(c) = completion {
        prompt.input = c;
        refresh(app);
    }
}

fn common_prefix<'a>(names: &[&'a str]) -> &'a str {
    let Some(first) = names.first() else {
        return "";
    };
    let mut len = first.len();
    for n in &names[1..] {
        len = first
            .char_indices()
            .zip(n.chars())
            .take_while(|((_, a), b)| a == b)
            .map(|((i, a), _)| i + a.len_utf8())
            .last()
            .unwrap_or(0)
            .min(len);
    }
    &first[..len]
}

pub fn refresh(app: &mut App) {
    if let Some(prompt) = &app.prompt {
        app.browser = Some(list(&prompt.input));
    }
}

/// Enter: a folder entry is entered; "./" opens the folder as the library;
/// a file opens in the reader inside the library of its folder.
pub fn submit(app: &mut App) {
    let Some(browser) = app.browser.clone() else {
        return;
    };
    let typed = app
        .prompt
        .as_ref()
        .map(|p| p.input.clone())
        .unwrap_or_default();
    let chosen = browser.entries.get(browser.cursor.selected).cloned();
    let target = match chosen {
        Some(e) if e.is_dir && e.name != "./" => {
            if let Some(p) = app.prompt.as_mut() {
                p.input = e.path.to_string_lossy().into_owned() + "/";
            }
            refresh(app);
            return;
        }
        Some(e) => e.path,
        None => PathBuf::from(typed.trim()),
    };
    app.prompt = None;
    app.browser = None;
    open_path(app, &target);
}

/// What a set of paths opens: the library to show, the folders to watch,
/// and the article file to show first. A single article file opens inside
/// the library of its folder, so its links to its neighbours work.
pub struct Opening {
    pub lib: Library,
    pub sources: Vec<PathBuf>,
    pub file: Option<PathBuf>,
    /// The library came from the start-up cache: its files are to be
    /// looked at again once it is on screen.
    pub from_cache: bool,
    /// The library was read from its files: the cache is to be written
    /// once it is on screen.
    pub unsaved: bool,
    pub cache_problem: Option<String>,
}

/// `paths` read through the start-up cache (see `core::cache`).
pub fn load(paths: &[PathBuf]) -> Opened {
    let cache = Paths::discover().map(|p| CachePaths::new(&p.cache, paths));
    cache::open_unsaved(paths, cache.as_ref())
}

pub fn opening(paths: &[PathBuf]) -> Opening {
    let whole = |paths: &[PathBuf], file: Option<PathBuf>| {
        let o = load(paths);
        Opening {
            lib: o.lib,
            sources: paths.to_vec(),
            file,
            from_cache: o.from_cache,
            unsaved: o.unsaved,
            cache_problem: o.cache_problem,
        }
    };
    match paths {
        [file] if file.is_file() && !is_export(file) => {
            let folder = file
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            let folder = library_holding(folder).unwrap_or_else(|| folder.to_path_buf());
            let o = whole(&[folder], Some(file.clone()));
            if o.lib.find_origin(file).is_some() {
                o
            } else {
                // Not an article of its folder's kinds (say, `notes.text`):
                // the file alone.
                whole(paths, Some(file.clone()))
            }
        }
        _ => whole(paths, None),
    }
}

/// The user's library, when `folder` is in it: a file saved there opens
/// among all of its articles, wherever in the library they are filed.
fn library_holding(folder: &Path) -> Option<PathBuf> {
    let library = crate::cli::library_dir()?;
    let folder = folder.canonicalize().ok()?;
    // Named as `baca` alone names it, so both share one start-up cache.
    folder
        .starts_with(library.canonicalize().ok()?)
        .then_some(library)
}

/// Replaces the library with what `path` holds and, for a file, opens it.
pub fn open_path(app: &mut App, path: &Path) {
    if !path.exists() {
        app.flash(
            format!("{}: no such file or folder", path.display()),
            Level::Warn,
        );
        return;
    }
    let Opening {
        lib,
        sources,
        file,
        from_cache,
        unsaved,
        ..
    } = opening(&[path.to_path_buf()]);
    if lib.is_empty() {
        app.flash(
            format!("{}: no articles there", path.display()),
            Level::Warn,
        );
        return;
    }
    super::persist::remember_position(app);
    app.replace_library(lib);
    app.opened_from(sources, from_cache);
    app.rewatch = true;
    app.save_cache = unsaved;
    if let Some(id) = file.and_then(|f| app.lib.find_origin(&f)) {
        super::update::open_article(app, id, false);
    }
    let n = app.lib.len();
    app.flash(
        format!("Opened {} ({n} articles)", path.display()),
        Level::Info,
    );
}

pub fn is_export(p: &Path) -> bool {
    matches!(
        p.extension().and_then(|e| e.to_str()),
        Some("jsonl" | "ndjson" | "json")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_folders_first_then_articles_with_the_prefix() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir(dir.path().join("Arsip")).expect("mkdir");
        std::fs::write(dir.path().join("artikel.txt"), "x").expect("write");
        std::fs::write(dir.path().join("abc.png"), "x").expect("write");
        std::fs::write(dir.path().join("lain.md"), "x").expect("write");
        let base = dir.path().to_string_lossy().into_owned();
        let b = list(&format!("{base}/a"));
        let names: Vec<&str> = b.entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["Arsip/", "artikel.txt"]);
        let b = list(&format!("{base}/"));
        assert_eq!(b.entries[0].name, "./");
        assert_eq!(b.entries.len(), 4);
        assert!(list("/no/such/folder/x").error.is_some());
    }

    #[test]
    fn common_prefix_of_names() {
        assert_eq!(common_prefix(&["artikel-a", "artikel-b"]), "artikel-");
        assert_eq!(common_prefix(&["a", "b"]), "");
    }
}
