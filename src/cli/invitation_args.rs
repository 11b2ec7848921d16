//! The invitation flags `create --calendar` and `update` share (`--show-as`, `--reminder`,
//! `--importance`, …), one per field of [`FIELDS`], built as the meeting option flags are
//! (`option_args`): a field with named values takes them with the options' parser and
//! offers them to the shell; the reminder and the categories read their own text. A bad
//! value is a usage error (exit 2) naming the valid ones, before anything is sent.

use super::option_args::{choice_arg, each_given};
use crate::calendar::invitation_fields::{FIELDS, InvitationFields, Kind, Spec};
use clap::builder::{PossibleValue, TypedValueParser};
use clap::{Arg, ArgAction, ArgMatches, Args, Command, FromArgMatches};

const HEADING: &str = "Invitation (calendar meetings)";

/// The invitation fields given on the command line; the rest are the service's.
#[derive(Debug, Clone, Default)]
pub struct InvitationArgs {
    pub fields: InvitationFields,
}

impl InvitationArgs {
    /// `--show-as, --reminder`: the flags given, for a refusal that names them.
    pub fn flags_given(&self) -> String {
        self.fields
            .changed()
            .map(|(s, _)| format!("--{}", s.key))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The parser of a field that is not a choice: its own reading, and its common values
/// offered to the shell.
#[derive(Clone, Copy)]
struct TextParser(&'static Spec);

impl TypedValueParser for TextParser {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &Command,
        arg: Option<&Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        let spec = self.0;
        let parse = move |s: &str| spec.parse(s).map(|v| spec.spell(&v));
        parse.parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        if self.0.suggestions.is_empty() {
            return None;
        }
        Some(Box::new(
            self.0.suggestions.iter().copied().map(PossibleValue::new),
        ))
    }
}

fn arg(spec: &'static Spec) -> Arg {
    match spec.kind {
        Kind::Choice => choice_arg(spec, spec.label, HEADING),
        Kind::Reminder | Kind::Categories => Arg::new(spec.key)
            .long(spec.key)
            .help_heading(HEADING)
            .value_parser(TextParser(spec))
            .hide_possible_values(true)
            .action(ArgAction::Set)
            .value_name(if spec.kind == Kind::Reminder {
                "MINUTES|off"
            } else {
                "NAMES"
            })
            .help(format!(
                "{} ({}): {}{} [service default: {}]",
                spec.label,
                spec.graph,
                spec.help,
                if spec.kind == Kind::Categories {
                    "; with update, '' removes them"
                } else {
                    ""
                },
                spec.describe(&spec.service_default())
            ))
            // Hyphen values reach the field's parser, so `--reminder -5` gets its message.
            .allow_hyphen_values(true),
    }
}

impl Args for InvitationArgs {
    fn augment_args(mut cmd: Command) -> Command {
        for spec in FIELDS {
            cmd = cmd.arg(arg(spec));
        }
        cmd
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        Self::augment_args(cmd)
    }
}

impl FromArgMatches for InvitationArgs {
    fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
        let mut fields = InvitationFields::default();
        each_given(m, FIELDS.iter().map(|s| s.key), |k, v| fields.set(k, v))?;
        Ok(InvitationArgs { fields })
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
        i: InvitationArgs,
    }

    fn parse(args: &[&str]) -> Result<InvitationFields, clap::Error> {
        Cli::try_parse_from([&["tmeet"], args].concat()).map(|c| c.i.fields)
    }

    #[test]
    fn every_field_has_a_flag_and_every_suggested_value_is_taken() {
        for spec in FIELDS {
            let values: Vec<&str> = if spec.kind == Kind::Choice {
                spec.choices.iter().map(|c| c.name).collect()
            } else {
                spec.suggestions.to_vec()
            };
            for v in values {
                let flag = format!("--{}={v}", spec.key);
                let f = parse(&[&flag]).unwrap_or_else(|e| panic!("{flag}: {e}"));
                assert_eq!(f.changed().count(), 1, "{flag}");
            }
        }
        let f = parse(&["--categories", "Red, Blue", "--hide-attendees"]).unwrap();
        assert_eq!(f.lines()[0].1, "Red, Blue");
        assert_eq!(f.lines()[1].1, "on");
        assert!(parse(&[]).unwrap().is_empty());
    }

    #[test]
    fn a_bad_value_is_a_usage_error_naming_the_valid_ones() {
        for (flag, value, names) in [
            (
                "--show-as",
                "oof?",
                "free | tentative | busy | away | working-elsewhere",
            ),
            ("--importance", "urgent", "low|normal|high"),
            (
                "--sensitivity",
                "secret",
                "normal|personal|private|confidential",
            ),
            ("--reminder", "-5", "or off"),
            ("--request-responses", "maybe", "on/off"),
        ] {
            let e = parse(&[flag, value]).err().unwrap();
            assert_eq!(e.exit_code(), 2, "{flag}");
            let text = e.to_string();
            let names = names.replace(" | ", "|");
            assert!(text.contains(&names), "{flag}: {text}");
        }
    }

    #[test]
    fn the_shell_is_offered_the_values() {
        let cmd = <Cli as clap::CommandFactory>::command();
        let offered = |key: &str| -> Vec<String> {
            cmd.get_arguments()
                .find(|a| a.get_id() == key)
                .unwrap()
                .get_possible_values()
                .iter()
                .map(|v| v.get_name().to_string())
                .collect()
        };
        assert_eq!(
            offered("show-as"),
            ["free", "tentative", "busy", "away", "working-elsewhere"]
        );
        assert_eq!(offered("hide-attendees"), ["on", "off"]);
        assert!(offered("reminder").contains(&"1h".to_string()));
    }
}
