//! The environment variables a decision reads, as a value: the process's own, or a fixed
//! set in a test (tests must not change the process environment other tests share).

use std::collections::BTreeMap;

#[derive(Debug, Clone, Default)]
pub struct Env {
    /// None: read the process environment at each look-up.
    fixed: Option<BTreeMap<String, String>>,
}

impl Env {
    pub fn process() -> Env {
        Env { fixed: None }
    }

    pub fn from_pairs(pairs: &[(&str, &str)]) -> Env {
        Env {
            fixed: Some(
                pairs
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            ),
        }
    }

    /// The value, if set and valid Unicode.
    pub fn get(&self, name: &str) -> Option<String> {
        match &self.fixed {
            None => std::env::var(name).ok(),
            Some(map) => map.get(name).cloned(),
        }
    }

    /// Set to something other than the empty string.
    pub fn set_nonempty(&self, name: &str) -> bool {
        match &self.fixed {
            None => std::env::var_os(name).is_some_and(|v| !v.is_empty()),
            Some(map) => map.get(name).is_some_and(|v| !v.is_empty()),
        }
    }
}
