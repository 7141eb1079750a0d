//! Tables of articles, one row each: CSV and TSV (the `csv` crate, the
//! delimiter found from the header line) and spreadsheets (`calamine`).
//! Which column is the title, the body, the date… is found by its name, in
//! Indonesian or English, or given by the user (`--columns`); a row is read
//! back alone from where loading found it.

use super::body;
use crate::core::article::Article;
use crate::core::date;
use crate::core::library::{Part, Problem};
use crate::core::parse::{self, clean_spaces, ParseOptions};
use crate::core::sanitize::sanitize;
use std::sync::OnceLock;

/// What a column can hold for baca.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Title,
    Body,
    Date,
    Url,
    Author,
    Site,
    Tags,
}

impl Role {
    /// In the order columns are given their roles: the body first, as it is
    /// the one a table cannot do without.
    pub const ALL: [Role; 7] = [
        Role::Body,
        Role::Title,
        Role::Url,
        Role::Date,
        Role::Author,
        Role::Site,
        Role::Tags,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Role::Title => "title",
            Role::Body => "body",
            Role::Date => "date",
            Role::Url => "url",
            Role::Author => "author",
            Role::Site => "site",
            Role::Tags => "tags",
        }
    }

    /// Column names that mean this role, best first, as normalised by
    /// [`normalise`].
    fn names(self) -> &'static [&'static str] {
        match self {
            Role::Title => &["title", "judul", "headline", "judul_berita", "heading"],
            Role::Body => &[
                "body",
                "content",
                "isi",
                "isi_berita",
                "text",
                "konten",
                "artikel",
                "article",
                "extracted_text",
                "berita",
                "teks",
                "full_text",
                "fulltext",
                "naskah",
            ],
            Role::Date => &[
                "date",
                "tanggal",
                "datetime",
                "timestamp",
                "published",
                "published_at",
                "publish_date",
                "date_published",
                "pubdate",
                "tgl",
                "waktu",
                "created_at",
                "time",
            ],
            Role::Url => &[
                "url",
                "link_href",
                "tautan",
                "link",
                "href",
                "permalink",
                "uri",
            ],
            Role::Author => &[
                "author", "penulis", "reporter", "writer", "byline", "authors",
            ],
            Role::Site => &[
                "site",
                "source",
                "sources",
                "sumber",
                "media",
                "portal",
                "publisher",
                "website",
                "domain",
            ],
            Role::Tags => &[
                "tags",
                "tag",
                "keywords",
                "keyword",
                "kata_kunci",
                "category",
                "kategori",
                "categories",
            ],
        }
    }

    fn index(self) -> usize {
        self as usize
    }

    fn from_name(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.name() == name)
    }
}

const NONE: u16 = u16::MAX;

/// The column of each role in a table (0-based), and its delimiter: all a
/// row needs to be read again on its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Columns {
    /// By [`Role`] order of declaration; `u16::MAX` for none.
    pub of: [u16; 7],
    /// The CSV delimiter; 0 for a spreadsheet.
    pub delimiter: u8,
    /// The table's numeric dates are month first (see [`date::order_of`]).
    pub month_first: bool,
}

impl Columns {
    fn order(&self) -> date::Order {
        if self.month_first {
            date::Order::MonthFirst
        } else {
            date::Order::DayFirst
        }
    }

    fn get(&self, role: Role) -> Option<usize> {
        let c = self.of[role.index()];
        (c != NONE).then_some(c as usize)
    }
}

/// The columns the user named with `--columns`, by role.
pub type Overrides = Vec<(Role, String)>;

/// Set once at start from the command line: which columns the tables read
/// in this run use where their names don't say. A process-wide setting, as
/// tables are read deep inside library loading, live reload included.
static OVERRIDES: OnceLock<Overrides> = OnceLock::new();

/// Parses `title=judul,body=isi`.
pub fn parse_overrides(spec: &str) -> Result<Overrides, String> {
    let mut out = Vec::new();
    for pair in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (role, column) = pair
            .split_once('=')
            .ok_or_else(|| format!("`{pair}` is not ROLE=COLUMN"))?;
        let role = Role::from_name(&role.trim().to_ascii_lowercase()).ok_or_else(|| {
            let roles: Vec<&str> = Role::ALL.iter().map(|r| r.name()).collect();
            format!(
                "unknown role `{}` (roles: {})",
                role.trim(),
                roles.join(", ")
            )
        })?;
        let column = column.trim();
        if column.is_empty() {
            return Err(format!("no column named for `{}`", role.name()));
        }
        out.push((role, column.to_owned()));
    }
    Ok(out)
}

/// Makes `overrides` the columns of every table read from now on; only the
/// first call counts.
pub fn set_overrides(overrides: Overrides) {
    let _ = OVERRIDES.set(overrides);
}

fn overrides() -> &'static [(Role, String)] {
    OVERRIDES.get().map_or(&[], Vec::as_slice)
}

/// A column name as compared: trimmed, lower case, spaces and dashes as
/// underscores.
fn normalise(name: &str) -> String {
    name.trim()
        .trim_start_matches('\u{feff}')
        .to_lowercase()
        .chars()
        .map(|c| if c == ' ' || c == '-' { '_' } else { c })
        .collect()
}

/// How well `header` names `role`: lower is better; `None` not at all. A
/// name that is one of the role's words scores by its place in the list;
/// for the title and body, one holding such a word among others
/// (`konten_pisah`) comes after. Other roles take whole names only: a
/// `keyword_sumber` or `image_url` column is no site or URL.
fn score(role: Role, header: &str) -> Option<usize> {
    let names = role.names();
    if let Some(i) = names.iter().position(|n| *n == header) {
        return Some(i);
    }
    if !matches!(role, Role::Title | Role::Body) {
        return None;
    }
    header
        .split('_')
        .filter_map(|w| names.iter().position(|n| *n == w))
        .min()
        .map(|i| names.len() + i)
}

/// Why a table gave no article.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TableError {
    #[error("no body column among the columns {seen}; name one with --columns body=NAME")]
    NoBody { seen: String },
    #[error("no column `{name}` (for {role}) among the columns {seen}")]
    NoSuchColumn {
        name: String,
        role: &'static str,
        seen: String,
    },
    #[error("not a table: {0}")]
    Unreadable(String),
}

fn seen(headers: &[String]) -> String {
    let names: Vec<String> = headers
        .iter()
        .map(|h| format!("\"{}\"", clean_spaces(&sanitize(h))))
        .collect();
    if names.is_empty() {
        "(none)".into()
    } else {
        names.join(", ")
    }
}

/// Gives each role its column: the user's where named, else the best named
/// free one. Of several body columns the one whose first rows `sample`
/// splits into the most paragraphs wins: a table often holds the text both
/// flattened and with its paragraphs kept.
fn choose(
    headers: &[String],
    given: &[(Role, String)],
    delimiter: u8,
    sample: impl Fn(usize) -> usize,
) -> Result<Columns, TableError> {
    let normal: Vec<String> = headers.iter().map(|h| normalise(h)).collect();
    let mut of = [NONE; 7];
    let mut taken = vec![false; headers.len()];
    for (role, name) in given {
        let want = normalise(name);
        let i = normal
            .iter()
            .position(|h| *h == want)
            .ok_or_else(|| TableError::NoSuchColumn {
                name: name.clone(),
                role: role.name(),
                seen: seen(headers),
            })?;
        of[role.index()] = i as u16;
        taken[i] = true;
    }
    for role in Role::ALL {
        if of[role.index()] != NONE {
            continue;
        }
        let mut candidates: Vec<(usize, usize)> = normal
            .iter()
            .enumerate()
            .filter(|&(i, _)| !taken[i] && i < NONE as usize)
            .filter_map(|(i, h)| score(role, h).map(|s| (s, i)))
            .collect();
        candidates.sort_unstable();
        let best = if role == Role::Body && candidates.len() > 1 {
            candidates
                .iter()
                .map(|&(s, i)| (std::cmp::Reverse(sample(i)), s, i))
                .min()
                .map(|(_, _, i)| i)
        } else {
            candidates.first().map(|&(_, i)| i)
        };
        if let Some(i) = best {
            of[role.index()] = i as u16;
            taken[i] = true;
        }
    }
    if of[Role::Body.index()] == NONE {
        return Err(TableError::NoBody {
            seen: seen(headers),
        });
    }
    Ok(Columns {
        of,
        delimiter,
        month_first: false,
    })
}

/// The delimiter of a CSV file: of `,` `;` tab and `|`, the one found most
/// often outside quotes on the header line. A `.tsv` file is tab-separated.
fn delimiter(bytes: &[u8], tsv: bool) -> u8 {
    if tsv {
        return b'\t';
    }
    let mut counts = [0usize; 4];
    let mut quoted = false;
    for &b in bytes {
        match b {
            b'\n' if !quoted => break,
            b'"' => quoted = !quoted,
            _ if quoted => {}
            b',' => counts[0] += 1,
            b';' => counts[1] += 1,
            b'\t' => counts[2] += 1,
            b'|' => counts[3] += 1,
            _ => {}
        }
    }
    let best = (0..4).max_by_key(|&i| (counts[i], std::cmp::Reverse(i)));
    match best {
        Some(i) if counts[i] > 0 => [b',', b';', b'\t', b'|'][i],
        _ => b',',
    }
}

fn csv_reader(bytes: &[u8], delimiter: u8, headers: bool) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(headers)
        .flexible(true)
        .from_reader(bytes)
}

/// How many rows are parsed together, in parallel.
const BATCH_ROWS: usize = 2048;

/// Rows as split: number, first and last byte, cells.
type Batch = Vec<(u32, u64, u64, csv::ByteRecord)>;

/// How many rows decide between body columns.
const SAMPLE_ROWS: usize = 50;

/// The paragraphs the decoded cells of column `col` in `rows` hold.
fn paragraphs_in<'a>(rows: impl Iterator<Item = Option<&'a str>>) -> usize {
    rows.flatten()
        .map(|cell| {
            body::paragraphs(cell)
                .lines()
                .filter(|l| !l.trim().is_empty())
                .count()
        })
        .sum()
}

/// The columns of a CSV file and its delimiter, from its header and first
/// rows.
fn csv_columns(bytes: &[u8], tsv: bool) -> Result<(Columns, Vec<String>), TableError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let delim = delimiter(bytes, tsv);
    let mut reader = csv_reader(bytes, delim, true);
    let headers: Vec<String> = reader
        .byte_headers()
        .map_err(|e| TableError::Unreadable(e.to_string()))?
        .iter()
        .map(|h| String::from_utf8_lossy(h).into_owned())
        .collect();
    let rows: Vec<csv::ByteRecord> = reader
        .byte_records()
        .take(SAMPLE_ROWS)
        .filter_map(Result::ok)
        .collect();
    let sample = |col: usize| {
        paragraphs_in(
            rows.iter()
                .map(|r| r.get(col).and_then(|c| std::str::from_utf8(c).ok())),
        )
    };
    let cols = choose(&headers, overrides(), delim, sample)?;
    Ok((cols, headers))
}

/// The columns a table file uses and the names it gave them, for telling
/// the user; reads the first [`SNIFF_BYTES`] only, except of a
/// spreadsheet, which is read whole.
pub fn describe(path: &std::path::Path) -> Result<String, TableError> {
    use std::io::Read;
    let unreadable = |e: std::io::Error| TableError::Unreadable(e.to_string());
    let (cols, headers) = if is_sheet(path) {
        let bytes = std::fs::read(path).map_err(unreadable)?;
        let rows = sheet_rows(&bytes)?;
        let headers = rows.first().cloned().unwrap_or_default();
        (sheet_columns(&rows)?, headers)
    } else {
        // What loading decides the columns from, and no more.
        let mut head = Vec::new();
        std::fs::File::open(path)
            .and_then(|f| f.take(SNIFF_BYTES as u64).read_to_end(&mut head))
            .map_err(unreadable)?;
        csv_columns(&head, is_tsv(path))?
    };
    let used: Vec<String> = [
        Role::Title,
        Role::Body,
        Role::Date,
        Role::Url,
        Role::Author,
        Role::Site,
        Role::Tags,
    ]
    .into_iter()
    .filter_map(|r| {
        let h = headers.get(cols.get(r)?)?;
        Some(format!("{}={}", r.name(), clean_spaces(&sanitize(h))))
    })
    .collect();
    Ok(used.join(","))
}

fn ext(path: &std::path::Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}

fn is_tsv(path: &std::path::Path) -> bool {
    ext(path) == "tsv"
}

pub fn is_sheet(path: &std::path::Path) -> bool {
    matches!(ext(path).as_str(), "xlsx" | "xlsm" | "xls" | "ods")
}

/// Articles, each with where it sits, and the problems met.
pub type Rows = (Vec<(Article, Part)>, Vec<Problem>);

fn refused(shown: &str, e: TableError) -> Problem {
    Problem {
        path: shown.to_owned(),
        message: format!("{e}; skipped"),
        // The user must name the columns: the command fails as for a file
        // it cannot read.
        io: true,
    }
}

/// A CSV or TSV file: one article a row. A row with no body is a problem
/// naming its row; the others still load.
pub fn load_csv(bytes: &[u8], shown: &str, tsv: bool) -> Result<Rows, Problem> {
    load_csv_stream(bytes, std::io::empty(), shown, tsv)
}

/// How much of a CSV file decides its delimiter and columns.
pub const SNIFF_BYTES: usize = 1024 * 1024;

/// [`load_csv`] of a file read as it is parsed: `head`, its first bytes
/// (which decide the delimiter and columns), then `rest`. A large table is
/// never held whole in memory beside its articles.
pub fn load_csv_stream(
    head: &[u8],
    rest: impl std::io::Read + Send,
    shown: &str,
    tsv: bool,
) -> Result<Rows, Problem> {
    let (mut cols, _) = csv_columns(head, tsv).map_err(|e| refused(shown, e))?;
    let bom = if head.starts_with(b"\xef\xbb\xbf") {
        3
    } else {
        0
    };
    let input = std::io::Read::chain(&head[bom..], rest);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(cols.delimiter)
        .has_headers(true)
        .flexible(true)
        .from_reader(input);
    let mut articles = Vec::new();
    let mut problems = Vec::new();
    // One thread splits rows while the others make articles of the batch
    // before, so neither waits long; a bounded channel keeps at most a
    // few batches of raw rows in memory.
    let (tx, rx) = std::sync::mpsc::sync_channel::<Batch>(1);
    let stopped = std::thread::scope(|scope| {
        let splitter = scope.spawn(move || {
            let mut batch = Vec::with_capacity(BATCH_ROWS);
            let mut number = 0u32;
            loop {
                let mut record = csv::ByteRecord::new();
                let stop = match reader.read_byte_record(&mut record) {
                    Ok(true) => None,
                    Ok(false) => Some(None),
                    Err(e) => Some(Some((number + 1, e.to_string()))),
                };
                if let Some(stop) = stop {
                    if !batch.is_empty() {
                        let _ = tx.send(batch);
                    }
                    return stop;
                }
                number += 1;
                let start = record.position().map_or(0, csv::Position::byte);
                let end = reader.position().byte();
                batch.push((number, start, end, record));
                if batch.len() == BATCH_ROWS
                    && tx
                        .send(std::mem::replace(
                            &mut batch,
                            Vec::with_capacity(BATCH_ROWS),
                        ))
                        .is_err()
                {
                    return None;
                }
            }
        });
        for batch in rx {
            let made = crate::core::par::map(&batch, |(number, start, end, record)| {
                let cells: [Option<std::borrow::Cow<str>>; 7] = std::array::from_fn(|i| {
                    let c = cols.of[i];
                    (c != NONE)
                        .then(|| record.get(c as usize))
                        .flatten()
                        .map(String::from_utf8_lossy)
                });
                row_article(&cells, format!("{shown}#{number}")).map(|a| {
                    let part = Part::Row {
                        at: start + bom as u64,
                        len: (end - start) as u32,
                        number: *number,
                        columns: cols,
                    };
                    (a, part)
                })
            });
            for m in made {
                match m {
                    Ok(row) => articles.push(row),
                    Err(p) => problems.push(p),
                }
            }
        }
        splitter
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e))
    });
    if let Some((number, e)) = stopped {
        problems.push(Problem {
            path: format!("{shown}#{number}"),
            message: format!("not a table row: {e}; the rest of the file skipped"),
            io: false,
        });
    }
    settle_dates(&mut articles, &mut cols);
    Ok((articles, problems))
}

/// Normalises the rows' dates, in the order the whole table's dates show
/// ("10/21/2025" makes "10/05/2025" the fifth of October), and keeps that
/// order with each row for reading it back.
fn settle_dates(articles: &mut [(Article, Part)], cols: &mut Columns) {
    cols.month_first = date::order_of(articles.iter().filter_map(|(a, _)| a.meta.date.as_deref()))
        == date::Order::MonthFirst;
    for (a, part) in articles {
        date::settle(&mut a.meta, cols.order());
        if let Part::Row { columns, .. } = part {
            columns.month_first = cols.month_first;
        }
    }
}

/// The article of one row, from its cells by [`Role`] order.
fn row_article(
    cells: &[Option<std::borrow::Cow<str>>; 7],
    origin: String,
) -> Result<Article, Problem> {
    let get = |r: Role| cells[r.index()].as_deref();
    let raw_body = get(Role::Body).unwrap_or("");
    if raw_body.trim().is_empty() {
        return Err(Problem {
            path: origin,
            message: "row with an empty body; skipped".into(),
            io: false,
        });
    }
    let field = |r: Role| {
        get(r)
            .map(|v| clean_spaces(&sanitize(v)))
            .filter(|v| !v.is_empty() && v != "-")
    };
    let (raw_body, body_fixed) = super::mojibake::repair(raw_body);
    let mut a = parse::parse_text(
        &body::paragraphs(&raw_body),
        ParseOptions {
            flattened: true,
            markdown: false,
        },
    );
    let (title, title_fixed) = super::mojibake::repair(get(Role::Title).unwrap_or(""));
    a.title = Some(clean_spaces(&sanitize(&title)))
        .filter(|v| !v.is_empty() && v != "-")
        .unwrap_or_default();
    if body_fixed + title_fixed > 0 {
        a.problems
            .push(super::mojibake::problem(body_fixed + title_fixed));
    }
    a.meta.date = field(Role::Date);
    a.meta.url = field(Role::Url);
    a.meta.author = field(Role::Author);
    a.meta.source = field(Role::Site);
    if let Some(tags) = get(Role::Tags) {
        a.meta.tags = tag_list(tags);
    }
    parse::ensure_title(&mut a, "");
    a.origin = origin;
    Ok(a)
}

/// Tags as a list (Python or JSON) or separated by `,` or `;`.
fn tag_list(raw: &str) -> Vec<String> {
    let decoded = body::paragraphs(raw);
    let parts: Vec<&str> = if decoded.contains('\n') {
        decoded.lines().collect()
    } else {
        decoded.split([',', ';']).collect()
    };
    parts
        .into_iter()
        .map(|t| clean_spaces(&sanitize(t)))
        .filter(|t| !t.is_empty() && t != "-")
        .collect()
}

/// One row of a CSV file read back from its bytes.
pub fn read_csv_row(bytes: &[u8], columns: Columns, origin: String) -> Result<Article, String> {
    let mut reader = csv_reader(bytes, columns.delimiter, false);
    let mut record = csv::ByteRecord::new();
    match reader.read_byte_record(&mut record) {
        Ok(true) => {}
        Ok(false) => return Err("the row is no longer in the file".into()),
        Err(e) => return Err(format!("not a table row: {e}")),
    }
    let cells: [Option<std::borrow::Cow<str>>; 7] = std::array::from_fn(|i| {
        let c = columns.of[i];
        (c != NONE)
            .then(|| record.get(c as usize))
            .flatten()
            .map(String::from_utf8_lossy)
    });
    let mut a = row_article(&cells, origin).map_err(|p| p.message)?;
    date::settle(&mut a.meta, columns.order());
    Ok(a)
}

/// The first sheet of a workbook as rows of text, header first.
fn sheet_rows(bytes: &[u8]) -> Result<Vec<Vec<String>>, TableError> {
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| TableError::Unreadable(e.to_string()))?;
    let range = match book.worksheet_range_at(0) {
        Some(r) => r.map_err(|e| TableError::Unreadable(e.to_string()))?,
        None => return Err(TableError::Unreadable("the workbook has no sheet".into())),
    };
    Ok(range
        .rows()
        .map(|row| row.iter().map(cell_text).collect())
        .collect())
}

/// A cell as text; a date cell as an ISO date, not the day number a
/// spreadsheet stores.
fn cell_text(cell: &calamine::Data) -> String {
    match cell {
        calamine::Data::DateTime(d) if !d.is_duration() => {
            date::Stamp::from_serial(d.as_f64()).map_or_else(|| cell.to_string(), |s| s.to_string())
        }
        _ => cell.to_string(),
    }
}

fn sheet_columns(rows: &[Vec<String>]) -> Result<Columns, TableError> {
    let headers = rows.first().map(Vec::as_slice).unwrap_or(&[]);
    let sample = |col: usize| {
        paragraphs_in(
            rows.iter()
                .skip(1)
                .take(SAMPLE_ROWS)
                .map(|r| r.get(col).map(String::as_str)),
        )
    };
    choose(headers, overrides(), 0, sample)
}

/// A spreadsheet's first sheet: one article a row after the header.
pub fn load_sheet(bytes: &[u8], shown: &str) -> Result<Rows, Problem> {
    let rows = sheet_rows(bytes).map_err(|e| refused(shown, e))?;
    let mut cols = sheet_columns(&rows).map_err(|e| refused(shown, e))?;
    let mut articles = Vec::new();
    let mut problems = Vec::new();
    for (i, row) in rows.iter().enumerate().skip(1) {
        let number = i as u32;
        match sheet_row(row, cols, format!("{shown}#{number}")) {
            Ok(a) => articles.push((
                a,
                Part::Row {
                    at: 0,
                    len: 0,
                    number,
                    columns: cols,
                },
            )),
            Err(p) => problems.push(p),
        }
    }
    settle_dates(&mut articles, &mut cols);
    Ok((articles, problems))
}

fn sheet_row(row: &[String], columns: Columns, origin: String) -> Result<Article, Problem> {
    let cells: [Option<std::borrow::Cow<str>>; 7] = std::array::from_fn(|i| {
        let c = columns.of[i];
        (c != NONE)
            .then(|| row.get(c as usize))
            .flatten()
            .map(|s| std::borrow::Cow::Borrowed(s.as_str()))
    });
    row_article(&cells, origin)
}

/// Row `number` (1-based, after the header) of a spreadsheet read back.
pub fn read_sheet_row(
    bytes: &[u8],
    number: u32,
    columns: Columns,
    origin: String,
) -> Result<Article, String> {
    let rows = sheet_rows(bytes).map_err(|e| e.to_string())?;
    let row = rows
        .get(number as usize)
        .ok_or("the row is no longer in the file")?;
    let mut a = sheet_row(row, columns, origin).map_err(|p| p.message)?;
    date::settle(&mut a.meta, columns.order());
    Ok(a)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    fn named(cols: &Columns, hs: &[String], role: Role) -> Option<String> {
        cols.get(role).map(|i| hs[i].clone())
    }

    #[test]
    fn columns_by_name_in_either_language() {
        let styles: &[(&[&str], [Option<&str>; 4])] = &[
            (
                &[
                    "id",
                    "judul",
                    "tautan",
                    "tanggal",
                    "isi_berita",
                    "Summary",
                    "keyword_sumber",
                ],
                [
                    Some("judul"),
                    Some("isi_berita"),
                    Some("tanggal"),
                    Some("tautan"),
                ],
            ),
            (
                &["Headline", "Extracted_Text", "Link", "Sources", "Timestamp"],
                [
                    Some("Headline"),
                    Some("Extracted_Text"),
                    Some("Timestamp"),
                    Some("Link"),
                ],
            ),
            (
                &[
                    "web-scraper-start-url",
                    "image-url",
                    "link",
                    "link-href",
                    "title",
                    "text",
                ],
                [Some("title"), Some("text"), None, Some("link-href")],
            ),
            (
                &["judul", "isi", "label"],
                [Some("judul"), Some("isi"), None, None],
            ),
        ];
        for (names, [title, body, date, url]) in styles {
            let hs = headers(names);
            let cols = choose(&hs, &[], b',', |_| 0).unwrap();
            let want = |v: &Option<&str>| v.map(str::to_owned);
            assert_eq!(named(&cols, &hs, Role::Title), want(title), "{names:?}");
            assert_eq!(named(&cols, &hs, Role::Body), want(body), "{names:?}");
            assert_eq!(named(&cols, &hs, Role::Date), want(date), "{names:?}");
            assert_eq!(named(&cols, &hs, Role::Url), want(url), "{names:?}");
        }
    }

    #[test]
    fn the_body_column_with_paragraphs_wins() {
        let hs = headers(&["Judul", "Konten", "Konten_pisah"]);
        let cols = choose(&hs, &[], b',', |c| if c == 2 { 30 } else { 10 }).unwrap();
        assert_eq!(
            named(&cols, &hs, Role::Body).as_deref(),
            Some("Konten_pisah")
        );
        // Equal: the plainer name.
        let cols = choose(&hs, &[], b',', |_| 10).unwrap();
        assert_eq!(named(&cols, &hs, Role::Body).as_deref(), Some("Konten"));
    }

    #[test]
    fn given_columns_and_refusals() {
        let hs = headers(&["nama", "teks_panjang", "kapan"]);
        let given = parse_overrides("title=nama, BODY=Teks_Panjang,date=kapan").unwrap();
        let cols = choose(&hs, &given, b',', |_| 0).unwrap();
        assert_eq!(named(&cols, &hs, Role::Title).as_deref(), Some("nama"));
        assert_eq!(named(&cols, &hs, Role::Date).as_deref(), Some("kapan"));
        let e = choose(&headers(&["a", "b"]), &[], b',', |_| 0).unwrap_err();
        assert_eq!(
            e.to_string(),
            "no body column among the columns \"a\", \"b\"; name one with --columns body=NAME"
        );
        let e = choose(&hs, &parse_overrides("body=isi").unwrap(), b',', |_| 0).unwrap_err();
        assert!(matches!(e, TableError::NoSuchColumn { .. }), "{e}");
        assert!(parse_overrides("judul=x").is_err());
        assert!(parse_overrides("title").is_err());
        assert!(parse_overrides("title=").is_err());
    }

    #[test]
    fn delimiters() {
        assert_eq!(delimiter(b"a,b,c\n1|2", false), b',');
        assert_eq!(delimiter(b"content|datetime|tags|title\n", false), b'|');
        assert_eq!(delimiter(b"\"a;b\",c,d;e\n", false), b',');
        assert_eq!(delimiter(b"judul;isi\n", false), b';');
        assert_eq!(delimiter(b"judul\tisi\n", false), b'\t');
        assert_eq!(delimiter(b"judul,isi\n", true), b'\t');
        assert_eq!(delimiter(b"isi\n", false), b',');
    }

    #[test]
    fn rows_load_and_read_back_alone() {
        let csv = "\u{feff}Judul;Isi;Tanggal;Kata_Kunci\n\
                   Satu;\"Paragraf satu.\nParagraf dua; panjang.\";2024-01-02;\"['a', 'b']\"\n\
                   Dua;;2024-01-03;\n\
                   Tiga;Pertama.||Kedua.;-;x, y\n";
        let (rows, problems) = load_csv(csv.as_bytes(), "t.csv", false).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].path, "t.csv#2");
        let (a, part) = &rows[0];
        assert_eq!(a.title, "Satu");
        assert_eq!(a.origin, "t.csv#1");
        assert_eq!(a.blocks.len(), 2);
        assert_eq!(a.meta.date.as_deref(), Some("2024-01-02"));
        assert_eq!(a.meta.tags, ["a", "b"]);
        let (b, _) = &rows[1];
        assert_eq!(b.blocks.len(), 2);
        assert_eq!(b.meta.date, None);
        assert_eq!(b.meta.tags, ["x", "y"]);
        for (a, part) in &rows {
            let Part::Row {
                at, len, columns, ..
            } = *part
            else {
                panic!("{part:?}")
            };
            let bytes = &csv.as_bytes()[at as usize..(at + len as u64) as usize];
            let again = read_csv_row(bytes, columns, a.origin.clone()).unwrap();
            assert_eq!(&again, a);
        }
        let _ = part;
    }

    #[test]
    fn dates_are_read_in_the_order_the_whole_table_shows() {
        let csv = "judul,isi,tanggal\n\
                   A,Satu.,10/05/2025 08:00\n\
                   B,Dua.,10/21/2025 20:43\n\
                   C,Tiga.,2 jam yang lalu\n";
        let (rows, _) = load_csv(csv.as_bytes(), "t.csv", false).unwrap();
        let dates: Vec<Option<&str>> = rows.iter().map(|(a, _)| a.meta.date.as_deref()).collect();
        assert_eq!(
            dates,
            [
                Some("2025-10-05T08:00"),
                Some("2025-10-21T20:43"),
                Some("2 jam yang lalu")
            ]
        );
        assert_eq!(
            rows[0].0.meta.extra.get(date::RAW_KEY).map(String::as_str),
            Some("10/05/2025 08:00")
        );
        let (
            a,
            Part::Row {
                at, len, columns, ..
            },
        ) = &rows[0]
        else {
            panic!("{:?}", rows[0].1)
        };
        assert!(columns.month_first);
        let bytes = &csv.as_bytes()[*at as usize..(*at + *len as u64) as usize];
        assert_eq!(&read_csv_row(bytes, *columns, a.origin.clone()).unwrap(), a);
    }

    #[test]
    fn a_table_read_as_a_stream_is_the_table_read_whole() {
        let mut csv = String::from("\u{feff}judul|isi|tanggal\n");
        for i in 0..5000 {
            csv.push_str(&format!(
                "Judul {i}|\"Baris {i}.\nLanjut {i}.\"|0{}/12/2024\n",
                i % 9 + 1
            ));
        }
        csv.push_str("Rusak|\"tanpa tutup\n");
        let whole = load_csv(csv.as_bytes(), "t.csv", false).unwrap();
        assert_eq!(
            whole.0.len(),
            5001,
            "the open quote runs to the end: one last row"
        );
        for cut in [25, 40, 4096, csv.len()] {
            let (head, rest) = csv.as_bytes().split_at(cut);
            let streamed = load_csv_stream(head, rest, "t.csv", false).unwrap();
            assert_eq!(streamed.0, whole.0, "cut at {cut}");
            assert_eq!(streamed.1, whole.1, "cut at {cut}");
        }
        let (
            a,
            Part::Row {
                at, len, columns, ..
            },
        ) = &whole.0[4321]
        else {
            panic!()
        };
        let bytes = &csv.as_bytes()[*at as usize..(*at + *len as u64) as usize];
        assert_eq!(&read_csv_row(bytes, *columns, a.origin.clone()).unwrap(), a);
    }

    #[test]
    fn text_decoded_twice_is_repaired_and_counted() {
        let csv = "title,content\nâ€œRusakâ€\u{9d} Judul,\"Kata ‚ÄúSatu‚Äù di sini._x000D_\nBaris dua.\"\nBiasa,Teks café biasa.\n";
        let (rows, _) = load_csv(csv.as_bytes(), "t.csv", false).unwrap();
        let (a, b) = (&rows[0].0, &rows[1].0);
        assert_eq!(a.title, "“Rusak” Judul");
        assert_eq!(a.blocks[0].text(), "Kata “Satu” di sini.");
        assert_eq!(a.blocks.len(), 2);
        assert!(
            a.problems[0].starts_with("5 places of text decoded twice"),
            "{:?}",
            a.problems
        );
        assert_eq!(b.blocks[0].text(), "Teks café biasa.");
        assert!(b.problems.is_empty());
    }

    #[test]
    fn a_table_without_body_is_refused_with_its_columns() {
        let p = load_csv(b"judul,tanggal\nA,B\n", "x.csv", false).unwrap_err();
        assert!(p.io);
        assert!(
            p.message.contains("\"judul\", \"tanggal\""),
            "{}",
            p.message
        );
    }

    #[test]
    fn broken_quotes_and_bad_bytes_never_panic() {
        let inputs: &[&[u8]] = &[
            b"",
            b"\n\n",
            b"isi\n\"open",
            b"isi,judul\n\xff\xfe,\x00\n",
            b"isi\n\"a\"\"b\"x,y,z\n",
        ];
        for bytes in inputs {
            let _ = load_csv(bytes, "x.csv", false);
            let _ = load_sheet(bytes, "x.xlsx");
        }
    }
}
