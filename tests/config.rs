//! The configuration file: defaults, every key valid and invalid, messages
//! that name the line, `~` expansion, the keymap patch passing through, and
//! how the reader reports these problems at start.

use baca::core::config::{
    color_enabled, expand_tilde, Color, Config, Layout, Palette, ThemeName, DEFAULT_CONFIG,
};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

fn parse(text: &str) -> Result<Config, String> {
    Config::parse(text, Path::new("/conf/config.toml")).map_err(|e| e.to_string())
}

fn error(text: &str) -> String {
    match parse(text) {
        Ok(c) => panic!("expected an error for {text:?}, got {c:?}"),
        Err(e) => e,
    }
}

#[test]
fn defaults() {
    let c = Config::default();
    assert_eq!(c.library, None);
    assert_eq!(c.theme, ThemeName::Dark);
    assert_eq!(c.colors, Palette::dark());
    assert_eq!(c.text_width, 100);
    assert_eq!(c.layout, Layout::Auto);
    assert!(c.keys.is_empty());
    assert_eq!(c.keys_toml(), None);
    assert_eq!(parse("").unwrap(), c);
}

#[test]
fn the_shipped_file_is_the_defaults_and_its_examples_are_valid() {
    assert_eq!(parse(DEFAULT_CONFIG).unwrap(), Config::default());
    // Every commented setting, uncommented, must still load.
    let uncommented: String = DEFAULT_CONFIG
        .lines()
        .map(|l| match l.strip_prefix("# ") {
            Some(rest)
                if rest.starts_with('[')
                    || rest
                        .split_once(" = ")
                        .is_some_and(|(k, _)| !k.contains(' ')) =>
            {
                rest
            }
            _ => l,
        })
        .map(|l| format!("{l}\n"))
        .collect();
    let c = parse(&uncommented).unwrap_or_else(|e| panic!("{e}\n{uncommented}"));
    assert_eq!(
        c.colors,
        Palette::dark(),
        "the listed colours are the dark theme's"
    );
    assert!(c.library.is_some());
    assert!(c.keys_toml().is_some());
}

#[test]
fn missing_file_is_defaults_without_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let (c, problem) = Config::load(&dir.path().join("config.toml"));
    assert_eq!(c, Config::default());
    assert_eq!(problem, None);
    let (_, problem) = Config::load_given(&dir.path().join("mine.toml"));
    assert!(problem.is_some_and(|p| p.contains("mine.toml")));
}

#[test]
fn an_invalid_file_gives_defaults_and_the_message() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, "theme = \"light\"\n\ntext_width = 10\n").unwrap();
    let (c, problem) = Config::load(&path);
    assert_eq!(c, Config::default(), "nothing of a bad file is used");
    assert_eq!(
        problem.as_deref(),
        Some("config.toml line 3: text_width must be between 40 and 200, got 10")
    );
    std::fs::write(&path, "theme = \"light\"\ntext_width = 72\n").unwrap();
    let (c, problem) = Config::load(&path);
    assert_eq!(problem, None);
    assert_eq!((c.theme, c.text_width), (ThemeName::Light, 72));
}

#[test]
fn theme() {
    let c = parse("theme = \"light\"").unwrap();
    assert_eq!(c.theme, ThemeName::Light);
    assert_eq!(c.colors, Palette::light());
    assert_eq!(
        error("\ntheme = \"blue\""),
        "config.toml line 2: theme must be \"dark\" or \"light\", got \"blue\""
    );
    assert!(error("theme = 1").starts_with("config.toml line 1: theme must be"));
}

#[test]
fn text_width() {
    assert_eq!(parse("text_width = 40").unwrap().text_width, 40);
    assert_eq!(parse("text_width = 200").unwrap().text_width, 200);
    assert_eq!(
        error("# comment\ntext_width = 201"),
        "config.toml line 2: text_width must be between 40 and 200, got 201"
    );
    assert!(error("text_width = -5").contains("got -5"));
    assert_eq!(
        error("text_width = \"wide\""),
        "config.toml line 1: text_width must be a whole number between 40 and 200, got \"wide\""
    );
}

#[test]
fn layout() {
    for (name, want) in [
        ("auto", Layout::Auto),
        ("one", Layout::One),
        ("two", Layout::Two),
        ("three", Layout::Three),
    ] {
        assert_eq!(parse(&format!("layout = \"{name}\"")).unwrap().layout, want);
    }
    let e = error("theme = \"dark\"\nlayout = \"four\"");
    assert!(e.starts_with("config.toml line 2: layout must be"), "{e}");
    assert!(e.ends_with("got \"four\""), "{e}");
}

#[test]
fn library_expands_home_and_anchors_relative_paths() {
    let home = directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf());
    let c = parse("library = \"~/berita\"").unwrap();
    let want = match &home {
        Some(h) => h.join("berita"),
        None => PathBuf::from("/conf/~/berita"),
    };
    assert_eq!(c.library, Some(want));
    let c = parse("library = \"arsip\"").unwrap();
    assert_eq!(c.library, Some(PathBuf::from("/conf/arsip")));
    let c = parse("library = \"/srv/news\"").unwrap();
    assert_eq!(c.library, Some(PathBuf::from("/srv/news")));
    assert!(error("\n\nlibrary = \"\"").starts_with("config.toml line 3: library must be"));
    assert!(error("library = 3").starts_with("config.toml line 1: library must be"));
}

#[test]
fn tilde_expansion() {
    let home = Path::new("/home/ani");
    assert_eq!(expand_tilde("~", Some(home)), PathBuf::from("/home/ani"));
    assert_eq!(
        expand_tilde("~/a/b", Some(home)),
        PathBuf::from("/home/ani/a/b")
    );
    assert_eq!(
        expand_tilde("~budi/a", Some(home)),
        PathBuf::from("~budi/a")
    );
    assert_eq!(expand_tilde("a/~", Some(home)), PathBuf::from("a/~"));
    assert_eq!(expand_tilde("~/a", None), PathBuf::from("~/a"));
}

#[test]
fn colors() {
    let c = parse("theme = \"light\"\n[colors]\nheading = \"#FF8800\"\nlink = \"Light-Blue\"\ndim = \"dark_grey\"")
        .unwrap();
    assert_eq!(c.colors.heading, Color::Rgb(0xff, 0x88, 0x00));
    assert_eq!(c.colors.link, Color::LightBlue);
    assert_eq!(c.colors.dim, Color::DarkGray);
    assert_eq!(
        c.colors.title,
        Palette::light().title,
        "others keep the theme's"
    );

    let e = error("[colors]\n\nheading = \"purpel\"");
    assert!(
        e.starts_with("config.toml line 3: colors.heading must be a colour"),
        "{e}"
    );
    assert!(e.contains("\"purpel\""), "{e}");
    assert!(error("[colors]\nlink = \"#12345\"").starts_with("config.toml line 2: colors.link"));
    let e = error("[colors]\nbackground = \"red\"");
    assert!(
        e.starts_with("config.toml line 2: unknown colour `background`"),
        "{e}"
    );
    assert!(e.contains("heading"), "lists the known ones: {e}");
    assert!(error("colors = 3").starts_with("config.toml line 1:"));
}

#[test]
fn every_palette_slot_can_be_set() {
    for slot in Palette::SLOTS {
        let c = parse(&format!("[colors]\n{slot} = \"#010203\"")).unwrap();
        assert_ne!(c.colors, Palette::dark(), "{slot} was not applied");
    }
}

#[test]
fn unknown_keys_are_rejected_by_name() {
    let e = error("theme = \"dark\"\ntext_wdith = 80");
    assert!(
        e.starts_with("config.toml line 2: unknown key `text_wdith`"),
        "{e}"
    );
    assert!(e.contains("text_width"), "suggests the known keys: {e}");
}

#[test]
fn syntax_errors_name_the_line() {
    let e = error("theme = \"dark\"\ntext_width = = 3");
    assert!(e.starts_with("config.toml line 2:"), "{e}");
    let e = error("theme = \"dark\"\ntheme = \"light\"");
    assert!(e.starts_with("config.toml line 2:"), "{e}");
}

#[test]
fn keys_pass_through() {
    let text = "text_width = 80\n[keys]\ndown = [\"j\", \"ctrl-n\"]\nquit = \"Q\"\n";
    let c = parse(text).unwrap();
    assert_eq!(c.keys.len(), 2);
    assert_eq!(c.key_line("down"), Some(3));
    assert_eq!(c.key_line("quit"), Some(4));
    let patch = c.keys_toml().unwrap();
    let back: toml::Table = patch.parse().unwrap();
    assert_eq!(back, c.keys);
    let e = error("[keys]\ndown = [\"j\", 3]");
    assert!(
        e.starts_with("config.toml line 2: keys.down must be a list of key names"),
        "{e}"
    );
    assert!(error("[keys]\n\ndown = 5").starts_with("config.toml line 3: keys.down"));
}

#[cfg(feature = "tui")]
#[test]
fn keys_patch_the_keymap() {
    use baca::tui::keymap::Keymap;
    let c = parse("[keys]\ndown = [\"ctrl-n\"]\n").unwrap();
    let km = Keymap::with_user(&c.keys_toml().unwrap()).unwrap();
    assert_eq!(km.label(baca::tui::action::Action::Down), "Ctrl-n");
}

#[cfg(feature = "tui")]
#[test]
fn keymap_problems_name_the_file_once_and_the_position() {
    use baca::tui::action::Action;
    use baca::tui::patch_keymap;
    let (km, problem) = patch_keymap("quit = [\"x\"", None);
    let problem = problem.expect("a syntax error is reported");
    assert_eq!(
        problem,
        "keymap.toml: line 1, column 12: unclosed array, expected `]`"
    );
    assert_eq!(km.label(Action::Quit), "q/Ctrl-c", "the defaults are used");

    let (_, problem) = patch_keymap("", Some("down = [\"q\"]\n"));
    let problem = problem.expect("a conflict is reported");
    assert!(
        problem.starts_with("config.toml [keys]: key q is bound to both"),
        "{problem}"
    );

    // "shift-g" is G, which `bottom` may take without clashing with `top`.
    let (km, problem) = patch_keymap("bottom = [\"shift-g\"]", None);
    assert_eq!(problem, None);
    assert_eq!(km.label(Action::Bottom), "G");
}

#[cfg(feature = "tui")]
#[test]
fn every_startup_problem_is_reported() {
    use baca::core::library::Problem;
    use baca::tui::startup_problems;
    let files = [
        Problem {
            path: "a.txt".into(),
            message: "not UTF-8".into(),
            io: false,
        },
        Problem {
            path: "b.txt".into(),
            message: "empty".into(),
            io: false,
        },
    ];
    let all = startup_problems(
        Some("config.toml line 3: bad"),
        Some("state.json was damaged"),
        None,
        Some("keymap.toml: key q is bound to both \"quit\" and \"down\""),
        &files,
    );
    assert_eq!(
        all,
        [
            "config.toml line 3: bad; running on the defaults",
            "state.json was damaged",
            "keymap.toml: key q is bound to both \"quit\" and \"down\"; using the default keys",
            "a.txt: not UTF-8 (and 1 more; see `baca list`)",
        ]
    );
    assert_eq!(
        startup_problems(None, None, Some("cache rebuilt"), None, &files[1..]),
        ["cache rebuilt", "b.txt: empty"]
    );
    assert!(startup_problems(None, None, None, None, &[]).is_empty());
}

#[test]
fn no_color() {
    assert!(color_enabled(None));
    assert!(color_enabled(Some(OsStr::new(""))));
    assert!(!color_enabled(Some(OsStr::new("1"))));
    assert!(!color_enabled(Some(OsStr::new("0"))), "any value counts");
}
