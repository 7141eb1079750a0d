//! Where baca keeps its files: the user's library, config and cache folders,
//! from the platform's conventions (`directories`).

use directories::ProjectDirs;
use std::path::PathBuf;

/// The folders in use. On Linux they follow `XDG_DATA_HOME`,
/// `XDG_CONFIG_HOME` and `XDG_CACHE_HOME`.
#[derive(Clone, Debug)]
pub struct Paths {
    pub data: PathBuf,
    pub config: PathBuf,
    pub cache: PathBuf,
}

impl Paths {
    /// `None` when the platform gives no home directory at all.
    pub fn discover() -> Option<Paths> {
        let dirs = ProjectDirs::from("", "", "baca")?;
        Some(Paths {
            data: dirs.data_dir().to_path_buf(),
            config: dirs.config_dir().to_path_buf(),
            cache: dirs.cache_dir().to_path_buf(),
        })
    }

    /// The user's library: articles saved as files in the data folder.
    pub fn library(&self) -> PathBuf {
        self.data.join("library")
    }
}
