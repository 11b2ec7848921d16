//! The meeting option flags `create` and `update` share, generated from the one option
//! table ([`SPECS`]) so that a flag, its values and its help (with the Graph name) cannot
//! drift from what is sent. A bad value is a clap usage error (exit 2) naming the valid
//! ones, before anything is sent.

use crate::calendar::Invitee;
use crate::meeting::attendees::Attendee;
use crate::meeting::options::{MeetingOptions, SPECS, Spec};
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

/// Options whose service default is off and that read as a switch (`--e2ee`); each can be
/// switched off again (`--e2ee=off`) when config.toml turned it on. The other on/off
/// options take their value as usual (`--recording off`).
const SWITCHES: [&str; 4] = [
    "dial-in-bypass-lobby",
    "record-automatically",
    "e2ee",
    "chat-text-only",
];

fn is_switch(spec: &Spec) -> bool {
    SWITCHES.contains(&spec.key)
}

fn is_on_off(spec: &Spec) -> bool {
    spec.choices.len() == 2 && spec.choices[0].name == "on" && spec.choices[1].name == "off"
}

fn value_parser(spec: &'static Spec) -> impl Fn(&str) -> Result<String, String> + Clone {
    move |s: &str| {
        spec.choice(s)
            .map(|i| spec.choices[i].name.to_string())
            .map_err(|e| e.to_string())
    }
}

impl Args for OptionArgs {
    fn augment_args(mut cmd: Command) -> Command {
        cmd = cmd.arg(
            Arg::new(ATTENDEE)
                .long(ATTENDEE)
                .value_name("PERSON[:ROLE]")
                .action(ArgAction::Append)
                // Either grammar here; `--calendar` decides which applies (see OptionArgs).
                .value_parser(|s: &str| match Attendee::parse(s) {
                    Ok(_) => Ok(s.to_string()),
                    Err(_) if Invitee::parse(s).is_ok() => Ok(s.to_string()),
                    Err(e) => Err(e.to_string()),
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
            let mut arg = Arg::new(spec.key)
                .long(spec.key)
                .help_heading("Meeting options")
                .value_parser(value_parser(spec))
                .action(ArgAction::Set)
                .help(format!(
                    "{} ({}): {} [service default: {}]",
                    spec.label,
                    spec.graph,
                    // Spaced, so a man page can break the list between values.
                    spec.value_names().replace('|', " | "),
                    spec.choices[spec.default].name
                ));
            if is_switch(spec) {
                arg = arg
                    .num_args(0..=1)
                    .require_equals(true)
                    .default_missing_value("on")
                    .value_name("on|off");
            } else if is_on_off(spec) {
                arg = arg.value_name("on|off");
            } else {
                arg = arg.value_name("VALUE");
            }
            cmd = cmd.arg(arg);
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
        for spec in SPECS {
            if let Some(v) = m.get_one::<String>(spec.key) {
                options
                    .set(spec.key, v)
                    .map_err(|e| clap::Error::raw(clap::error::ErrorKind::InvalidValue, e))?;
            }
        }
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

    #[test]
    fn switches_turn_on_and_can_be_turned_off() {
        let o = parse(&["--e2ee", "--record-automatically"])
            .unwrap()
            .options;
        assert!(o.is("e2ee", "on") && o.is("record-automatically", "on"));
        assert!(parse(&["--e2ee=off"]).unwrap().options.is("e2ee", "off"));
        let o = parse(&["--recording", "off", "--attendee-mic", "on"])
            .unwrap()
            .options;
        assert!(o.is("recording", "off") && o.is("attendee-mic", "on"));
        assert!(
            SWITCHES
                .iter()
                .all(|k| SPECS.iter().any(|s| s.key == *k && is_on_off(s)))
        );
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
        let e = parse(&["--attendee", "ada@contoso.com:boss"])
            .err()
            .unwrap();
        assert!(e.to_string().contains("not a role"), "{e}");
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
