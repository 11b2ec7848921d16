//! Whether output that is not the form gets colour: `NO_COLOR` (no-color.org) turns it
//! off, `CLICOLOR_FORCE` (bixense.com/clicolors) turns it on where it would be off because
//! the output is not a terminal; `NO_COLOR` wins over `CLICOLOR_FORCE`.

use crate::env::Env;

/// `NO_COLOR` set and not empty.
pub(crate) fn disabled(env: &Env) -> bool {
    env.set_nonempty("NO_COLOR")
}

/// `CLICOLOR_FORCE` set and not `0`, without `NO_COLOR`: escape sequences as if the
/// output were a terminal (a pipe into `less -R`, a CI log that renders them).
pub(crate) fn forced(env: &Env) -> bool {
    !disabled(env)
        && env
            .get("CLICOLOR_FORCE")
            .is_some_and(|v| !v.is_empty() && v != "0")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rule the callers follow: colour on a terminal or when forced, never under
    /// NO_COLOR.
    fn enabled(is_terminal: bool, env: &Env) -> bool {
        !disabled(env) && (is_terminal || forced(env))
    }

    #[test]
    fn clicolor_force_forces_and_no_color_wins() {
        let e = |pairs: &[(&str, &str)]| Env::from_pairs(pairs);
        assert!(enabled(true, &e(&[])));
        assert!(!enabled(false, &e(&[])));
        assert!(enabled(false, &e(&[("CLICOLOR_FORCE", "1")])));
        assert!(enabled(false, &e(&[("CLICOLOR_FORCE", "yes")])));
        assert!(!enabled(false, &e(&[("CLICOLOR_FORCE", "0")])));
        assert!(!enabled(false, &e(&[("CLICOLOR_FORCE", "")])));
        assert!(!enabled(
            false,
            &e(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")])
        ));
        assert!(!enabled(true, &e(&[("NO_COLOR", "1")])));
        assert!(
            enabled(true, &e(&[("NO_COLOR", "")])),
            "empty NO_COLOR is unset"
        );
    }
}
