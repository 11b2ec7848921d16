//! Where a delegated sign-in is kept between runs: the OS keyring when one answers,
//! otherwise `tokens.json` in the state directory (0600 inside a 0700 directory, replaced
//! atomically), or memory only for `--demo`. Entries are keyed by login host, tenant and
//! client id so that several accounts and clouds coexist.

use crate::secret::Secret;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use super::AuthError;

/// The keyring "service" every entry lives under.
const KEYRING_SERVICE: &str = "tmeet";
const FILE_NAME: &str = "tokens.json";
/// Beside the token file; held by whichever tmeet is reading, refreshing and writing the
/// sign-in, whatever backend holds the tokens (a keyring has no cross-process lock).
const LOCK_NAME: &str = "tokens.lock";
const FILE_VERSION: u32 = 1;

/// One signed-in account for one (login host, tenant, client id).
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct StoredToken {
    pub access_token: Secret,
    #[serde(default)]
    pub refresh_token: Option<Secret>,
    pub expires_at: DateTime<Utc>,
    #[serde(default)]
    pub scopes: Vec<String>,
    /// `preferred_username` (or `name`) from the id_token, for display only.
    #[serde(default)]
    pub account: Option<String>,
    /// The `tid` claim: the directory actually signed in to (the configured tenant may be
    /// `organizations`).
    #[serde(default)]
    pub tenant_id: Option<String>,
    pub cloud: String,
    /// The mailbox's SMTP address (`/me` `mail`, else the UPN), read once per sign-in by
    /// the first calendar feature that needs the organizer's address; kept across
    /// refreshes, gone with a new sign-in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mail: Option<String>,
    /// The mailbox's zone, working hours and formats (`mailboxSettings`), read once per
    /// sign-in by the first calendar feature that uses them when MailboxSettings.Read was
    /// granted; kept across refreshes, gone with a new sign-in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mailbox_settings: Option<crate::graph::client::MailboxSettings>,
}

impl fmt::Debug for StoredToken {
    // Hand-written so that nobody adds a field that prints a token by deriving.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoredToken")
            .field("expires_at", &self.expires_at)
            .field("scopes", &self.scopes)
            .field("account", &self.account)
            .field("tenant_id", &self.tenant_id)
            .field("cloud", &self.cloud)
            .field("mail", &self.mail)
            .field("mailbox_settings", &self.mailbox_settings)
            .finish_non_exhaustive()
    }
}

#[derive(Default, Serialize, Deserialize)]
struct TokenFile {
    version: u32,
    entries: BTreeMap<String, StoredToken>,
}

enum Backend {
    /// The OS keyring, with the file as the fallback when the keyring fails at run time
    /// (no secret service on the bus, locked collection, …).
    Keyring {
        fallback: Option<PathBuf>,
    },
    File(PathBuf),
    Memory(Mutex<BTreeMap<String, String>>),
}

/// Cheap to clone; clones share the memory backend and the warnings.
#[derive(Clone)]
pub(crate) struct TokenStore {
    inner: Arc<StoreInner>,
}

struct StoreInner {
    backend: Backend,
    /// Set once the keyring failed: the rest of the process uses the file.
    keyring_failed: AtomicBool,
    /// Serializes read-modify-write of the file within the process.
    file_lock: Mutex<()>,
    warned: AtomicBool,
    warnings: Mutex<Vec<String>>,
}

impl fmt::Debug for TokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match &self.inner.backend {
            Backend::Keyring { .. } => "keyring",
            Backend::File(_) => "file",
            Backend::Memory(_) => "memory",
        };
        write!(f, "TokenStore({kind})")
    }
}

/// Whether a Secret Service could be reached at all. On Linux it lives on the session bus;
/// with no bus address in the environment and no socket at `$XDG_RUNTIME_DIR/bus` (SSH
/// sessions, containers, CI) asking would fail anyway, and the D-Bus client would leave a
/// thread behind that wakes twice a second for the rest of the process, so an idle TUI would
/// not be idle. Elsewhere the keyring is the OS's own and always worth asking.
fn session_bus_advertised() -> bool {
    if cfg!(any(target_os = "macos", target_os = "ios", windows)) {
        return true;
    }
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|a| !a.is_empty()) {
        return true;
    }
    std::env::var_os("XDG_RUNTIME_DIR").is_some_and(|d| Path::new(&d).join("bus").exists())
}

/// A store that answers but holds something tmeet cannot read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Unreadable {
    /// The token file is not a tmeet token file (truncated, edited, another program's).
    File(PathBuf),
    /// The keyring entry for this key does not decode.
    KeyringEntry(String),
}

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unreadable::File(path) => write!(f, "the token file {}", path.display()),
            Unreadable::KeyringEntry(key) => {
                write!(f, "the system keyring entry '{KEYRING_SERVICE}' / '{key}'")
            }
        }
    }
}

/// Held while one process reads, refreshes and writes the sign-in; released on drop (the
/// lock dies with its file descriptor, so a crashed tmeet never leaves it held).
#[must_use]
pub(crate) struct StoreLock {
    _file: Option<std::fs::File>,
}

impl TokenStore {
    /// The OS keyring if its store initializes, otherwise the file in `state_dir`.
    pub(super) fn system(state_dir: Option<PathBuf>) -> Self {
        if !session_bus_advertised()
            && let Some(dir) = &state_dir
        {
            tracing::debug!("no session bus (so no Secret Service); using the token file");
            return Self::with_backend(Backend::File(dir.clone()));
        }
        let backend = match keyring::Entry::store_status() {
            Ok(()) => Backend::Keyring {
                fallback: state_dir,
            },
            Err(e) => {
                tracing::debug!(
                    "no OS keyring ({}); using the token file",
                    keyring_reason(e)
                );
                match state_dir {
                    Some(dir) => Backend::File(dir),
                    None => Backend::Keyring { fallback: None },
                }
            }
        };
        Self::with_backend(backend)
    }

    pub(super) fn file(dir: PathBuf) -> Self {
        Self::with_backend(Backend::File(dir))
    }

    pub(super) fn memory() -> Self {
        Self::with_backend(Backend::Memory(Mutex::new(BTreeMap::new())))
    }

    fn with_backend(backend: Backend) -> Self {
        Self {
            inner: Arc::new(StoreInner {
                backend,
                keyring_failed: AtomicBool::new(false),
                file_lock: Mutex::new(()),
                warned: AtomicBool::new(false),
                warnings: Mutex::new(Vec::new()),
            }),
        }
    }

    /// Warnings not yet shown to the person (permission repairs, keyring fallback).
    pub(super) fn take_warnings(&self) -> Vec<String> {
        std::mem::take(
            &mut *self
                .inner
                .warnings
                .lock()
                .unwrap_or_else(|p| p.into_inner()),
        )
    }

    /// Where the file store lives, when the file is (or may become) the store.
    pub(super) fn file_path(&self) -> Option<PathBuf> {
        match &self.inner.backend {
            Backend::File(dir) => Some(dir.join(FILE_NAME)),
            Backend::Keyring { fallback } => fallback.as_ref().map(|d| d.join(FILE_NAME)),
            Backend::Memory(_) => None,
        }
    }

    /// Where entries go, in words for `tmeet login` and `tmeet status`.
    pub(super) fn describe(&self) -> String {
        let file = |dir: &Path| format!("{} (mode 0600)", dir.join(FILE_NAME).display());
        match &self.inner.backend {
            Backend::Memory(_) => "memory only (nothing is written to disk)".into(),
            Backend::File(dir) => file(dir),
            Backend::Keyring {
                fallback: Some(dir),
            } if self.keyring_failed() => file(dir),
            Backend::Keyring { .. } => "the system keyring".into(),
        }
    }

    /// Waits until no other tmeet process is changing the store, then keeps it that way
    /// until the guard is dropped. Blocking. Two processes refreshing one sign-in at once
    /// would spend a rotating refresh token twice, and the loser would delete the entry the
    /// winner had just stored. The memory store lives in one process (the caller's own
    /// mutex is enough) and a keyring with no state directory has nowhere to put the file.
    pub(super) fn lock(&self) -> Result<StoreLock, AuthError> {
        let dir = match &self.inner.backend {
            Backend::File(dir) => dir,
            Backend::Keyring {
                fallback: Some(dir),
            } => dir,
            Backend::Keyring { fallback: None } | Backend::Memory(_) => {
                return Ok(StoreLock { _file: None });
            }
        };
        create_private_dir(dir)?;
        let path = dir.join(LOCK_NAME);
        let mut options = std::fs::OpenOptions::new();
        options.create(true).truncate(false).write(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let file = options
            .open(&path)
            .map_err(|e| store_io("cannot open the lock file", &path, &e))?;
        fs4::fs_std::FileExt::lock_exclusive(&file)
            .map_err(|e| store_io("cannot lock", &path, &e))?;
        Ok(StoreLock { _file: Some(file) })
    }

    /// Removes the entry only if it still holds the refresh token `seen` was read with:
    /// a sign-in another process stored meanwhile (a newer refresh, a new login) is kept.
    /// True if an entry was removed. Call it with [`TokenStore::lock`] held, so that
    /// nobody changes the entry between the comparison and the removal.
    pub(super) fn remove_if_unchanged(
        &self,
        key: &str,
        seen: &StoredToken,
    ) -> Result<bool, AuthError> {
        match self.load(key)? {
            Some(now) if same_sign_in(&now, seen) => self.remove(key),
            Some(_) => {
                tracing::info!("the stored sign-in changed meanwhile; keeping it");
                Ok(false)
            }
            None => Ok(false),
        }
    }

    /// Like [`TokenStore::load`], but an entry or file that cannot be decoded comes back
    /// as [`Unreadable`] (what `logout` may remove) rather than as an error.
    pub(super) fn inspect(
        &self,
        key: &str,
    ) -> Result<Result<Option<StoredToken>, Unreadable>, AuthError> {
        let err = match self.load(key) {
            Ok(t) => return Ok(Ok(t)),
            Err(e) => e,
        };
        if matches!(self.inner.backend, Backend::Keyring { .. })
            && !self.keyring_failed()
            && let Ok(json) = keyring_entry(key).and_then(|e| e.get_password())
            && decode(&json).is_err()
        {
            return Ok(Err(Unreadable::KeyringEntry(key.to_string())));
        }
        if let Some(path) = self.file_path()
            && let Ok(text) = std::fs::read_to_string(&path)
            && serde_json::from_str::<TokenFile>(&text).is_err()
        {
            return Ok(Err(Unreadable::File(path)));
        }
        Err(err)
    }

    /// Deletes what [`TokenStore::inspect`] found unreadable. The whole file goes: nothing in
    /// it can be told apart from the rest.
    pub(super) fn remove_unreadable(&self, what: &Unreadable) -> Result<(), AuthError> {
        match what {
            Unreadable::File(path) => match std::fs::remove_file(path) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                Err(e) => Err(store_io("cannot remove", path, &e)),
            },
            Unreadable::KeyringEntry(key) => {
                match keyring_entry(key).and_then(|e| e.delete_credential()) {
                    Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
                    Err(e) => Err(AuthError::Store(format!(
                        "cannot remove the keyring entry: {}",
                        keyring_reason(&e)
                    ))),
                }
            }
        }
    }

    pub(super) fn load(&self, key: &str) -> Result<Option<StoredToken>, AuthError> {
        match &self.inner.backend {
            Backend::Memory(map) => {
                let map = map.lock().unwrap_or_else(|p| p.into_inner());
                map.get(key).map(|s| decode(s)).transpose()
            }
            Backend::File(dir) => self.file_load(dir, key),
            Backend::Keyring { fallback } => {
                if !self.keyring_failed() {
                    match keyring_entry(key).and_then(|e| e.get_password()) {
                        Ok(s) => return decode(&s).map(Some),
                        Err(keyring::Error::NoEntry) => {}
                        Err(e) => self.keyring_broke(&e, fallback.as_deref())?,
                    }
                }
                // An earlier run may have fallen back to the file.
                match fallback {
                    Some(dir) if dir.join(FILE_NAME).exists() => self.file_load(dir, key),
                    _ => Ok(None),
                }
            }
        }
    }

    pub(super) fn save(&self, key: &str, token: &StoredToken) -> Result<(), AuthError> {
        let json = serde_json::to_string(token)
            .map_err(|e| AuthError::Store(format!("cannot encode the entry: {e}")))?;
        match &self.inner.backend {
            Backend::Memory(map) => {
                map.lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .insert(key.to_string(), json);
                Ok(())
            }
            Backend::File(dir) => self.file_update(dir, |f| {
                f.entries.insert(key.to_string(), token.clone());
            }),
            Backend::Keyring { fallback } => {
                if !self.keyring_failed() {
                    match keyring_entry(key).and_then(|e| e.set_password(&json)) {
                        Ok(()) => {
                            // A stale copy in the fallback file would shadow nothing but
                            // would keep an old refresh token on disk.
                            if let Some(dir) = fallback {
                                self.file_remove_if_present(dir, key)?;
                            }
                            return Ok(());
                        }
                        Err(e) => self.keyring_broke(&e, fallback.as_deref())?,
                    }
                }
                match fallback {
                    Some(dir) => self.file_update(dir, |f| {
                        f.entries.insert(key.to_string(), token.clone());
                    }),
                    None => Err(no_state_dir()),
                }
            }
        }
    }

    /// True if an entry was removed.
    pub(super) fn remove(&self, key: &str) -> Result<bool, AuthError> {
        match &self.inner.backend {
            Backend::Memory(map) => Ok(map
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .remove(key)
                .is_some()),
            Backend::File(dir) => self.file_remove_if_present(dir, key),
            Backend::Keyring { fallback } => {
                let mut removed = false;
                if !self.keyring_failed() {
                    match keyring_entry(key).and_then(|e| e.delete_credential()) {
                        Ok(()) => removed = true,
                        Err(keyring::Error::NoEntry) => {}
                        Err(e) => self.keyring_broke(&e, fallback.as_deref())?,
                    }
                }
                if let Some(dir) = fallback {
                    removed |= self.file_remove_if_present(dir, key)?;
                }
                Ok(removed)
            }
        }
    }

    fn keyring_failed(&self) -> bool {
        self.inner.keyring_failed.load(Ordering::Relaxed)
    }

    /// Switches to the file for the rest of the process, or fails when there is none.
    fn keyring_broke(&self, e: &keyring::Error, fallback: Option<&Path>) -> Result<(), AuthError> {
        let reason = keyring_reason(e);
        let Some(dir) = fallback else {
            return Err(AuthError::Store(format!(
                "the system keyring failed ({reason}) and there is no state directory to fall back to; set HOME or XDG_STATE_HOME"
            )));
        };
        if !self.inner.keyring_failed.swap(true, Ordering::Relaxed) {
            self.warn(format!(
                "the system keyring is not usable ({reason}); keeping the sign-in in {} (mode 0600) instead",
                dir.join(FILE_NAME).display()
            ));
        }
        Ok(())
    }

    fn warn(&self, message: String) {
        tracing::warn!("{message}");
        if !self.inner.warned.swap(true, Ordering::Relaxed) {
            self.inner
                .warnings
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(message);
        }
    }

    fn file_load(&self, dir: &Path, key: &str) -> Result<Option<StoredToken>, AuthError> {
        let _guard = self
            .inner
            .file_lock
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        Ok(self.read_file(dir)?.entries.remove(key))
    }

    fn file_update(
        &self,
        dir: &Path,
        change: impl FnOnce(&mut TokenFile),
    ) -> Result<(), AuthError> {
        let _guard = self
            .inner
            .file_lock
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        let mut file = self.read_file(dir)?;
        change(&mut file);
        self.write_file(dir, &file)
    }

    fn file_remove_if_present(&self, dir: &Path, key: &str) -> Result<bool, AuthError> {
        let _guard = self
            .inner
            .file_lock
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if !dir.join(FILE_NAME).exists() {
            return Ok(false);
        }
        let mut file = self.read_file(dir)?;
        if file.entries.remove(key).is_none() {
            return Ok(false);
        }
        self.write_file(dir, &file)?;
        Ok(true)
    }

    fn read_file(&self, dir: &Path) -> Result<TokenFile, AuthError> {
        let path = dir.join(FILE_NAME);
        if dir.exists() {
            self.repair_mode(dir, 0o700)?;
        }
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(TokenFile::default()),
            Err(e) => return Err(store_io("cannot read", &path, &e)),
        };
        self.repair_mode(&path, 0o600)?;
        // serde's message could quote part of the file; name the file, not its content.
        serde_json::from_str(&text).map_err(|_| {
            AuthError::Store(format!(
                "{} is not a tmeet token file; remove it with tmeet logout, then sign in again with: tmeet login",
                path.display()
            ))
        })
    }

    fn write_file(&self, dir: &Path, file: &TokenFile) -> Result<(), AuthError> {
        create_private_dir(dir)?;
        self.repair_mode(dir, 0o700)?;
        let path = dir.join(FILE_NAME);
        let body = serde_json::to_vec_pretty(&TokenFile {
            version: FILE_VERSION,
            entries: file.entries.clone(),
        })
        .map_err(|e| AuthError::Store(format!("cannot encode the token file: {e}")))?;
        // Same directory, so the rename is atomic; a reader sees the old or the new file,
        // never half of one, and a rotated refresh token is never lost to a crash.
        let tmp = dir.join(format!(
            ".{FILE_NAME}.{}.{:08x}.tmp",
            std::process::id(),
            rand::random::<u32>()
        ));
        let written = write_private_new(&tmp, &body).and_then(|()| std::fs::rename(&tmp, &path));
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(store_io("cannot write", &path, &e));
        }
        Ok(())
    }

    /// Tightens permissions that are looser than `mode`, warning once per process.
    #[cfg(unix)]
    fn repair_mode(&self, path: &Path, mode: u32) -> Result<(), AuthError> {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(path).map_err(|e| store_io("cannot inspect", path, &e))?;
        let current = meta.permissions().mode() & 0o777;
        if current & !mode != 0 {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
                .map_err(|e| store_io("cannot restrict the permissions of", path, &e))?;
            self.warn(format!(
                "{} was readable by others (mode {current:o}); changed it to {mode:o}. If this was not you, sign out (tmeet logout) and sign in again",
                path.display()
            ));
        }
        Ok(())
    }

    #[cfg(not(unix))]
    fn repair_mode(&self, _path: &Path, _mode: u32) -> Result<(), AuthError> {
        Ok(())
    }
}

fn same_sign_in(a: &StoredToken, b: &StoredToken) -> bool {
    a.access_token == b.access_token && a.refresh_token == b.refresh_token
}

fn decode(json: &str) -> Result<StoredToken, AuthError> {
    serde_json::from_str(json).map_err(|_| {
        AuthError::Store(
            "the stored sign-in is unreadable; sign out and in again: tmeet logout && tmeet login"
                .into(),
        )
    })
}

fn keyring_entry(key: &str) -> keyring::Result<keyring::Entry> {
    keyring::Entry::new(KEYRING_SERVICE, key)
}

/// A reason without payload: some keyring errors carry the stored bytes.
fn keyring_reason(e: &keyring::Error) -> String {
    match e {
        keyring::Error::PlatformFailure(p) | keyring::Error::NoStorageAccess(p) => p.to_string(),
        keyring::Error::NoDefaultStore => "no secret service available".into(),
        keyring::Error::BadEncoding(_) | keyring::Error::BadDataFormat(..) => {
            "the stored entry is unreadable".into()
        }
        keyring::Error::NoEntry => "no entry".into(),
        keyring::Error::TooLong(what, limit) => format!("{what} is longer than {limit}"),
        keyring::Error::Invalid(what, why) => format!("{what}: {why}"),
        _ => "keyring error".into(),
    }
}

fn no_state_dir() -> AuthError {
    AuthError::Store(
        "there is no state directory to keep the sign-in in; set HOME or XDG_STATE_HOME".into(),
    )
}

fn store_io(what: &str, path: &Path, e: &std::io::Error) -> AuthError {
    AuthError::Store(format!("{what} {}: {e}", path.display()))
}

/// Creates `path` (which must not exist) readable by the owner only, before any byte of
/// the content is written, and flushes it to disk.
fn write_private_new(path: &Path, body: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(body)?;
    file.sync_all()
}

pub(super) fn create_private_dir(dir: &Path) -> Result<(), AuthError> {
    crate::paths::create_private_dir(dir).map_err(|e| store_io("cannot create", dir, &e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(access: &str, refresh: &str) -> StoredToken {
        StoredToken {
            access_token: Secret::new(access),
            refresh_token: Some(Secret::new(refresh)),
            expires_at: Utc::now(),
            scopes: vec!["openid".into()],
            account: Some("adele@contoso.com".into()),
            tenant_id: None,
            cloud: "global".into(),
            mail: None,
            mailbox_settings: None,
        }
    }

    #[test]
    fn file_round_trip_keeps_entries_apart() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::file(dir.path().join("state"));
        assert!(store.load("a").unwrap().is_none());
        store.save("a", &token("at-a", "rt-a")).unwrap();
        store.save("b", &token("at-b", "rt-b")).unwrap();
        assert_eq!(
            store.load("a").unwrap().unwrap().access_token.expose(),
            "at-a"
        );
        assert!(store.remove("a").unwrap());
        assert!(!store.remove("a").unwrap());
        assert_eq!(
            store
                .load("b")
                .unwrap()
                .unwrap()
                .refresh_token
                .unwrap()
                .expose(),
            "rt-b"
        );
        // No temporary files are left behind.
        let names: Vec<_> = std::fs::read_dir(dir.path().join("state"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from(FILE_NAME)]);
    }

    #[cfg(unix)]
    #[test]
    fn loose_permissions_are_repaired_with_one_warning() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("state");
        let store = TokenStore::file(state.clone());
        store.save("a", &token("at", "rt")).unwrap();
        std::fs::set_permissions(&state, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::set_permissions(
            state.join(FILE_NAME),
            std::fs::Permissions::from_mode(0o644),
        )
        .unwrap();
        assert!(store.load("a").unwrap().is_some());
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&state), 0o700);
        assert_eq!(mode(&state.join(FILE_NAME)), 0o600);
        let warnings = store.take_warnings();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("readable by others"));
    }

    #[test]
    fn memory_never_touches_disk_and_debug_hides_tokens() {
        let store = TokenStore::memory();
        assert!(store.file_path().is_none());
        store.save("k", &token("at-secret", "rt-secret")).unwrap();
        let t = store.load("k").unwrap().unwrap();
        let shown = format!("{t:?} {store:?}");
        assert!(
            !shown.contains("at-secret") && !shown.contains("rt-secret"),
            "{shown}"
        );
    }

    #[test]
    fn a_rejected_sign_in_is_removed_only_if_nobody_replaced_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::file(dir.path().join("state"));
        let seen = token("at-1", "rt-1");
        store.save("k", &seen).unwrap();
        // Another process refreshed meanwhile: its entry stays.
        store.save("k", &token("at-2", "rt-2")).unwrap();
        let _lock = store.lock().unwrap();
        assert!(!store.remove_if_unchanged("k", &seen).unwrap());
        assert!(store.load("k").unwrap().is_some());
        assert!(
            store
                .remove_if_unchanged("k", &token("at-2", "rt-2"))
                .unwrap()
        );
        assert!(store.load("k").unwrap().is_none());
    }

    #[test]
    fn a_corrupt_file_is_named_not_quoted() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE_NAME), "{\"secret-ish\": ").unwrap();
        let err = TokenStore::file(dir.path().to_path_buf())
            .load("k")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("tokens.json") && !err.contains("secret-ish"),
            "{err}"
        );
    }
}
