//! Opening and reading files: every read checks that it opens a regular
//! file and stops at a size cap, so a device, a FIFO or an endless file
//! gives a clear error instead of blocking or filling memory.

use std::fs::{File, FileType, Metadata};
use std::io::{self, Read};
use std::path::Path;

/// The most baca reads of one article, config or state file.
pub const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{}", io_message(.0))]
    Io(#[from] io::Error),
    #[error("not a regular file ({0})")]
    NotAFile(&'static str),
    #[error("{} MB is too large (the limit is {} MB)", .size / MB, .limit / MB)]
    TooLarge { size: u64, limit: u64 },
}

const MB: u64 = 1024 * 1024;

impl ReadError {
    pub fn is_not_found(&self) -> bool {
        matches!(self, ReadError::Io(e) if e.kind() == io::ErrorKind::NotFound)
    }
}

impl From<ReadError> for io::Error {
    fn from(e: ReadError) -> io::Error {
        match e {
            ReadError::Io(e) => e,
            other => io::Error::new(io::ErrorKind::InvalidData, other.to_string()),
        }
    }
}

/// The messages people meet most, without the "(os error 2)".
fn io_message(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or folder".to_owned(),
        io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => e.to_string(),
    }
}

/// What a file that is not a regular one is, for a message.
pub fn kind(t: &FileType) -> &'static str {
    if t.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "not a file"
}

/// Opens `path` when it is a regular file (links followed). The type is
/// looked at before opening, since opening a FIFO waits for a writer, and
/// again after, in case the name was replaced between the two.
pub fn open(path: &Path) -> Result<(File, Metadata), ReadError> {
    let before = std::fs::metadata(path)?;
    if !before.is_file() {
        return Err(ReadError::NotAFile(kind(&before.file_type())));
    }
    let file = File::open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile(kind(&meta.file_type())));
    }
    Ok((file, meta))
}

/// Reads an opened file whole, refusing more than `limit` bytes whatever
/// its size said (a file may grow while read, and some report no size).
pub fn read_opened(file: File, meta: &Metadata, limit: u64) -> Result<Vec<u8>, ReadError> {
    if meta.len() > limit {
        return Err(ReadError::TooLarge {
            size: meta.len(),
            limit,
        });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// The bytes of the regular file at `path`, at most `limit` of them.
pub fn read(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let (file, meta) = open(path)?;
    read_opened(file, &meta, limit)
}

/// [`read`] for a text file: invalid UTF-8 is an error.
pub fn read_string(path: &Path, limit: u64) -> Result<String, ReadError> {
    String::from_utf8(read(path, limit)?)
        .map_err(|e| ReadError::Io(io::Error::new(io::ErrorKind::InvalidData, e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_fifos_and_folders_are_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let msg = |p: &Path| read(p, MAX_BYTES).unwrap_err().to_string();
        assert_eq!(msg(&fifo), "not a regular file (a FIFO)");
        assert_eq!(msg(Path::new("/dev/zero")), "not a regular file (a device)");
        assert_eq!(msg(dir.path()), "not a regular file (a folder)");
        assert_eq!(msg(&dir.path().join("none")), "no such file or folder");
        assert!(read(&dir.path().join("none"), 9)
            .unwrap_err()
            .is_not_found());
    }

    #[test]
    fn the_cap_holds_at_its_edge() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        std::fs::write(&p, "12345").unwrap();
        assert_eq!(read(&p, 5).unwrap(), b"12345");
        let e = read(&p, 4).unwrap_err();
        assert!(
            matches!(e, ReadError::TooLarge { size: 5, limit: 4 }),
            "{e}"
        );
        std::fs::write(&p, [0xff, 0xfe]).unwrap();
        assert!(read_string(&p, 5).is_err());
    }

    #[test]
    fn a_file_that_grows_past_its_stated_size_is_cut_at_the_cap() {
        // /proc files say they are empty and hold more.
        let (file, meta) = open(Path::new("/proc/self/status")).unwrap();
        assert_eq!(meta.len(), 0);
        assert!(matches!(
            read_opened(file, &meta, 8),
            Err(ReadError::TooLarge { size: 9, limit: 8 })
        ));
    }
}
