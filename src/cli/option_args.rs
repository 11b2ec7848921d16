//! The meeting option flags `create` and `update` share, generated from the one option
//! table ([`SPECS`]) so that a flag, its values and its help (with the Graph name) cannot
//! drift from what is sent. A bad value is a clap usage error (exit 2) naming the valid
//! ones, before anything is sent.

use crate::calendar::Invitee;
use crate::meeting::attendees::Attendee;
use crate::meeting::options::{Choices, MeetingOptions, SPECS};
use clap::builder::{PossibleValue, TypedValueParser};
use clap::{Arg, ArgAction, ArgMatches, Args, Command, FromArgMatches};

const ATTENDEE: &str = "attendee";

/// Options and attendees as given on the command line.
#[derive(Debug, Clone, Default)]
pub struct OptionArgs {
    /// Only the options given; config defaults go under them ([`MeetingOptions::overlay`]).
    pub options: MeetingOptions,
    /// `--attendee` as typed, in order; None when the flag was not given. Each is valid
    /// for a standalone meeting (`UPN_OR_ID[:role]`) or a calendar one (`ADDRESS[:type]`);
    /// which one applies is known only with `--calendar`.
    pub attendee_args: Option<Vec<String>>,
}

impl OptionArgs {
    /// The attendees of a standalone meeting (roles), or None without `--attendee`.
    pub fn attendees(&self) -> Result<Option<Vec<Attendee>>, String> {
        let Some(list) = &self.attendee_args else {
            return Ok(None);
        };
        let mut out: Vec<Attendee> = Vec::with_capacity(list.len());
        for a in list {
            let parsed = Attendee::parse(a).map_err(|e| {
                if Invitee::parse(a).is_ok() {
                    format!(
                        "--attendee {}: required and optional are for calendar meetings; add --calendar, or give a role (attendee, presenter, coorganizer)",
                        crate::sanitize::line(a)
                    )
                } else {
                    format!("--attendee: {e}")
                }
            })?;
            if out.iter().any(|b| b.who.eq_ignore_ascii_case(&parsed.who)) {
                return Err(format!("--attendee: {} is listed twice", parsed.who));
            }
            out.push(parsed);
        }
        Ok(Some(out))
    }

    /// The people a calendar meeting invites (`ADDRESS[:required|optional]`).
    pub fn invitees(&self) -> Result<Vec<Invitee>, String> {
        let list = self.attendee_args.clone().unwrap_or_default();
        for a in &list {
            if let Some((_, role)) = a.rsplit_once(':')
                && crate::meeting::attendees::Role::parse(role).is_some()
            {
                return Err(format!(
                    "--attendee {}: roles are for standalone meetings; a calendar meeting invites people as required or optional (ADDRESS:optional)",
                    crate::sanitize::line(a)
                ));
            }
        }
        crate::calendar::parse_invitees(&list.join(",")).map_err(|e| format!("--attendee: {e}"))
    }
}

/// What every on/off option reads, in any case; a bare flag means on.
pub(crate) const ON_OFF_SPELLINGS: &str = "on/off, true/false, yes/no";

/// The spellings of on and off every on/off flag takes, in one place, so that no option
/// reads `--e2ee on` differently from `--recording off`.
fn on_off(value: &str) -> Option<&'static str> {
    match value.trim().to_ascii_lowercase().as_str() {
        "on" | "true" | "yes" => Some("on"),
        "off" | "false" | "no" => Some("off"),
        _ => None,
    }
}

/// The value parser of a flag that takes one of a table's named values (a meeting option,
/// an invitation field): on/off in every spelling for a switch, the names otherwise, and
/// those names offered to the shell by `tmeet completions`. A bad value is a usage error
/// (exit 2) naming the valid ones.
pub(crate) struct ChoiceParser<S: 'static>(pub &'static S);

impl<S> Clone for ChoiceParser<S> {
    fn clone(&self) -> Self {
        ChoiceParser(self.0)
    }
}

impl<S: Choices + Send + Sync + 'static> TypedValueParser for ChoiceParser<S> {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &Command,
        arg: Option<&Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        let spec = self.0;
        let parse = move |s: &str| -> Result<String, String> {
            if spec.is_on_off() {
                return on_off(s).map(str::to_string).ok_or_else(|| {
                    format!(
                        "'{}' is not on or off (--{} takes {ON_OFF_SPELLINGS}; alone it means on)",
                        crate::sanitize::line(s),
                        spec.key()
                    )
                });
            }
            spec.choice(s)
                .map(|i| spec.choices()[i].name.to_string())
                .map_err(|e| e.to_string())
        };
        parse.parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            self.0
                .choices()
                .iter()
                .map(|c| PossibleValue::new(c.name).help(c.label)),
        ))
    }
}

/// Hands each flag of `keys` that was given, with its value, to `set`: how a table's
/// flags (options, invitation fields) become the values a command sends.
pub(crate) fn each_given(
    m: &ArgMatches,
    keys: impl Iterator<Item = &'static str>,
    mut set: impl FnMut(&str, &str) -> Result<(), String>,
) -> Result<(), clap::Error> {
    for key in keys {
        if let Some(v) = m.get_one::<String>(key) {
            set(key, v).map_err(|e| clap::Error::raw(clap::error::ErrorKind::InvalidValue, e))?;
        }
    }
    Ok(())
}

/// The flag of one choice (`--lobby VALUE`, `--e2ee [on|off]`), its help naming the Graph
/// property, the values and the service's default, under `heading`.
pub(crate) fn choice_arg<S: Choices + Send + Sync + 'static>(
    spec: &'static S,
    label: &str,
    heading: &'static str,
) -> Arg {
    let arg = Arg::new(spec.key())
        .long(spec.key())
        .help_heading(heading)
        .value_parser(ChoiceParser(spec))
        // Listed in the help line below, with the default; the shell still offers them.
        .hide_possible_values(true)
        .action(ArgAction::Set)
        .help(format!(
            "{label} ({}): {} [service default: {}]",
            spec.graph(),
            // Spaced, so a man page can break the list between values.
            spec.value_names().replace('|', " | "),
            spec.choices()[spec.default_choice()].name
        ));
    if spec.is_on_off() {
        // Every on/off option alike: `--e2ee`, `--e2ee on`, `--e2ee=off`,
        // `--recording no`.
        arg.num_args(0..=1)
            .default_missing_value("on")
            .value_name("on|off")
    } else {
        arg.value_name("VALUE")
    }
}

impl Args for OptionArgs {
    fn augment_args(mut cmd: Command) -> Command {
        cmd = cmd.arg(
            Arg::new(ATTENDEE)
                .long(ATTENDEE)
                .value_name("PERSON[:ROLE]")
                .action(ArgAction::Append)
                // Read once the mode is known (`--calendar` decides which grammar applies,
                // see OptionArgs), so that an error names the roles of that mode; here
                // only a value that fits neither grammar's address is refused.
                .value_parser(|s: &str| {
                    let address = s.rsplit_once(':').map_or(s, |(a, _)| a);
                    match (Attendee::parse(address), Invitee::parse(address)) {
                        (Err(_), Err(_)) => Err(Attendee::parse(s)
                            .err()
                            .map_or_else(|| "not a person".to_string(), |e| e.to_string())),
                        _ => Ok(s.to_string()),
                    }
                })
                .help_heading("Meeting options")
                .help(
                    "A person on the meeting; repeatable. Standalone: a UPN or object id with role \
                     attendee | presenter | coorganizer (participants.attendees), recorded on the \
                     meeting, not invited. With --calendar: an email address, required | optional, \
                     who gets an invitation",
                ),
        );
        for spec in SPECS {
            cmd = cmd.arg(choice_arg(spec, spec.label, "Meeting options"));
        }
        cmd
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        Self::augment_args(cmd)
    }
}

impl FromArgMatches for OptionArgs {
    fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
        let mut options = MeetingOptions::new();
        each_given(m, SPECS.iter().map(|s| s.key), |k, v| {
            options.set(k, v).map_err(|e| e.to_string())
        })?;
        let attendee_args = m.get_many::<String>(ATTENDEE).map(|v| v.cloned().collect());
        Ok(OptionArgs {
            options,
            attendee_args,
        })
    }

    fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        o: OptionArgs,
    }

    fn parse(args: &[&str]) -> Result<OptionArgs, clap::Error> {
        Cli::try_parse_from([&["tmeet"], args].concat()).map(|c| c.o)
    }

    #[test]
    fn every_option_has_a_flag_that_sets_each_of_its_values() {
        for spec in SPECS {
            for c in spec.choices {
                let flag = format!("--{}={}", spec.key, c.name);
                let o = parse(&[&flag]).unwrap().options;
                assert!(o.is(spec.key, c.name), "{flag}");
            }
        }
    }

    /// One style for every on/off option: `--e2ee on` was refused where `--recording off`
    /// worked, and `--recording` alone was refused where `--e2ee` alone worked.
    #[test]
    fn every_on_off_option_takes_the_same_spellings() {
        let switches: Vec<&crate::meeting::options::Spec> =
            SPECS.iter().filter(|s| s.is_on_off()).collect();
        assert!(switches.len() > 10);
        for spec in switches {
            let flag = format!("--{}", spec.key);
            for (given, want) in [
                (vec![flag.as_str()], "on"),
                (vec![flag.as_str(), "on"], "on"),
                (vec![flag.as_str(), "OFF"], "off"),
                (vec![flag.as_str(), "true"], "on"),
                (vec![flag.as_str(), "no"], "off"),
                (vec![flag.as_str(), "yes", "--lobby", "everyone"], "on"),
                (vec![flag.as_str(), "--lobby", "everyone"], "on"),
            ] {
                let o = parse(&given)
                    .unwrap_or_else(|e| panic!("{given:?}: {e}"))
                    .options;
                assert!(o.is(spec.key, want), "{given:?}");
            }
            for eq in ["on", "off", "false", "yes"] {
                let given = format!("{flag}={eq}");
                let o = parse(&[&given])
                    .unwrap_or_else(|e| panic!("{given}: {e}"))
                    .options;
                assert!(o.is(spec.key, on_off(eq).unwrap()), "{given}");
            }
            let e = parse(&[&flag, "maybe"]).err().unwrap();
            assert_eq!(e.exit_code(), 2);
            assert!(e.to_string().contains("on/off, true/false, yes/no"), "{e}");
        }
        assert!(parse(&[]).unwrap().options.is_empty());
    }

    #[test]
    fn a_bad_value_is_a_usage_error_naming_the_valid_ones() {
        let e = parse(&["--lobby", "anyone"]).err().unwrap();
        assert_eq!(e.exit_code(), 2);
        let text = e.to_string();
        assert!(
            text.contains("everyone|organization-and-federated|organization|organization-excluding-guests|invited|organizer"),
            "{text}"
        );
        // A role neither mode knows is told in the terms of the mode it is used in.
        let o = parse(&["--attendee", "ada@contoso.com:boss"]).unwrap();
        let standalone = o.attendees().unwrap_err();
        assert!(
            standalone.contains("not a role") && standalone.contains("presenter"),
            "{standalone}"
        );
        let calendar = o.invitees().unwrap_err();
        assert!(
            calendar.contains("required or optional") && !calendar.contains("presenter"),
            "{calendar}"
        );
        let e = parse(&["--attendee", "not an address"]).err().unwrap();
        assert_eq!(e.exit_code(), 2);
    }

    #[test]
    fn attendees_repeat_in_order() {
        let a = parse(&[
            "--attendee",
            "ada@contoso.com:presenter",
            "--attendee",
            "bob@contoso.com",
        ])
        .unwrap()
        .attendees()
        .unwrap()
        .unwrap();
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].to_string(), "ada@contoso.com:presenter");
    }

    #[test]
    fn one_flag_two_grammars_and_each_mode_names_the_others_slip() {
        let o = parse(&[
            "--attendee",
            "ada@contoso.com",
            "--attendee",
            "bob@fabrikam.com:optional",
        ])
        .unwrap();
        let err = o.attendees().unwrap_err();
        assert!(err.contains("add --calendar"), "{err}");
        let inv = o.invitees().unwrap();
        assert_eq!(inv[1].kind, crate::calendar::AttendeeType::Optional);
        let o = parse(&["--attendee", "ada@contoso.com:presenter"]).unwrap();
        let err = o.invitees().unwrap_err();
        assert!(err.contains("roles are for standalone"), "{err}");
        assert!(parse(&[]).unwrap().attendees().unwrap().is_none());
    }
}
