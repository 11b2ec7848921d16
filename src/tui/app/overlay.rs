//! What is open over the screen and takes its keys, held as one value so that two of them
//! can never be open at once: a create in flight, a y/N question, the suggested times, the
//! QR code. The help is the one overlay that may be opened over another (F1 works
//! anywhere); it keeps what it covers and gives it back when it closes.
//!
//! A new overlay is a variant here, a `Scope` in keymap.rs, an arm in `Model::scopes`, and
//! (if it is drawn) a reader below for the renderer.

use super::calendar::SuggestView;
use super::{Confirm, Effect, Intent, Job, Model};

#[derive(Debug, Clone, Default)]
pub enum Overlay {
    /// Nothing: the screen itself has the keys.
    #[default]
    None,
    /// The key help, over `behind`, which comes back when it closes.
    Help { scroll: u16, behind: Box<Overlay> },
    /// The form's create (or an edit's save) on its way: only cancelling does anything.
    InFlight(Job),
    /// Ctrl+S on the form of an unsure create: the request waits for `y`.
    Confirm(Confirm),
    /// The suggested times (calendar mode, Ctrl+F): modal, so typing cannot change the form
    /// under it.
    Suggest(SuggestView),
    /// My free times to share (the form's share key): modal like the suggestions.
    Shared(super::calendar::SharedView),
    /// My meetings waits for `y` before deleting the meeting with this history id.
    ConfirmDelete(i64),
    /// My meetings waits for which meetings of the series with this history id to cancel.
    ConfirmSeries(i64),
    /// My meetings waits for which meetings of the series with this history id to edit.
    EditSeries(i64),
    /// The result pane shows the join link's QR code instead of the details.
    Qr,
    /// The Agenda's answer box: a comment, a new time, this date or the series.
    Answer(Box<super::agenda::AnswerBox>),
}

impl Overlay {
    /// What the help covers, or the overlay itself when the help is closed: whatever the
    /// help covers goes on (a create finishes, suggestions arrive) while it is open.
    pub fn base(&self) -> &Overlay {
        match self {
            Overlay::Help { behind, .. } => behind,
            o => o,
        }
    }

    pub(crate) fn base_mut(&mut self) -> &mut Overlay {
        match self {
            Overlay::Help { behind, .. } => behind,
            o => o,
        }
    }
}

impl Model {
    /// The help's scroll while the help is open.
    pub fn help_scroll(&self) -> Option<u16> {
        match self.overlay {
            Overlay::Help { scroll, .. } => Some(scroll),
            _ => None,
        }
    }

    pub fn help_open(&self) -> bool {
        self.help_scroll().is_some()
    }

    /// The form's create or save in flight.
    pub fn job(&self) -> Option<&Job> {
        match self.overlay.base() {
            Overlay::InFlight(j) => Some(j),
            _ => None,
        }
    }

    pub(crate) fn job_mut(&mut self) -> Option<&mut Job> {
        match self.overlay.base_mut() {
            Overlay::InFlight(j) => Some(j),
            _ => None,
        }
    }

    /// The create waiting for y/N.
    pub fn confirm(&self) -> Option<&Confirm> {
        match self.overlay.base() {
            Overlay::Confirm(c) => Some(c),
            _ => None,
        }
    }

    /// The suggested times' list, while it is open.
    pub fn suggest(&self) -> Option<&SuggestView> {
        match self.overlay.base() {
            Overlay::Suggest(v) => Some(v),
            _ => None,
        }
    }

    pub(crate) fn suggest_mut(&mut self) -> Option<&mut SuggestView> {
        match self.overlay.base_mut() {
            Overlay::Suggest(v) => Some(v),
            _ => None,
        }
    }

    /// My free times to share, while they are shown.
    pub fn shared(&self) -> Option<&super::calendar::SharedView> {
        match self.overlay.base() {
            Overlay::Shared(v) => Some(v),
            _ => None,
        }
    }

    pub(crate) fn shared_mut(&mut self) -> Option<&mut super::calendar::SharedView> {
        match self.overlay.base_mut() {
            Overlay::Shared(v) => Some(v),
            _ => None,
        }
    }

    /// The history id of the meeting whose delete waits for y/N.
    pub fn confirm_delete(&self) -> Option<i64> {
        match self.overlay.base() {
            Overlay::ConfirmDelete(id) | Overlay::ConfirmSeries(id) => Some(*id),
            _ => None,
        }
    }

    /// The Agenda's answer box, while it is open.
    pub fn answer_box(&self) -> Option<&super::agenda::AnswerBox> {
        match self.overlay.base() {
            Overlay::Answer(b) => Some(b),
            _ => None,
        }
    }

    /// The result pane shows the QR code.
    pub fn show_qr(&self) -> bool {
        matches!(self.overlay.base(), Overlay::Qr)
    }

    /// Opens `overlay` in place of whatever was open; under the help if the help is up.
    pub(crate) fn open(&mut self, overlay: Overlay) {
        *self.overlay.base_mut() = overlay;
    }

    /// Closes what is open (the help stays) when `which` says it is the one, and gives it.
    pub(crate) fn close_if(&mut self, which: impl FnOnce(&Overlay) -> bool) -> Option<Overlay> {
        let base = self.overlay.base_mut();
        which(base).then(|| std::mem::take(base))
    }

    /// The job in flight, taken off the screen, when `which` says it is the one.
    pub(crate) fn take_job(&mut self, which: impl FnOnce(&Job) -> bool) -> Option<Job> {
        match self.close_if(|o| matches!(o, Overlay::InFlight(j) if which(j))) {
            Some(Overlay::InFlight(j)) => Some(j),
            _ => None,
        }
    }
}

/// F1: the help opens over whatever is open, or closes and gives it back.
pub(super) fn toggle_help(m: &mut Model) -> Vec<Effect> {
    m.overlay = match std::mem::take(&mut m.overlay) {
        Overlay::Help { behind, .. } => *behind,
        other => Overlay::Help {
            scroll: 0,
            behind: Box::new(other),
        },
    };
    vec![]
}

/// Keys while the help is open: it scrolls, Back closes it, nothing else reaches what it
/// covers.
pub(super) fn on_help_intent(m: &mut Model, intent: Intent) -> Vec<Effect> {
    if intent == Intent::Back {
        return toggle_help(m);
    }
    if let Overlay::Help { scroll, .. } = &mut m.overlay {
        *scroll = match intent {
            Intent::ScrollDown => scroll.saturating_add(1),
            Intent::ScrollUp => scroll.saturating_sub(1),
            Intent::PageDown => scroll.saturating_add(10),
            Intent::PageUp => scroll.saturating_sub(10),
            _ => *scroll,
        };
    }
    vec![]
}
