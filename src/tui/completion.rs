//! Name completion in the Attendees field (GRAPH-SCHEDULING.md §5), as a state machine the
//! form drives: it says when to ask and what, and never asks more than the rule allows:
//! a pause of [`DEBOUNCE`] after the last keystroke, at least
//! [`people::MIN_QUERY_CHARS`] characters, one request in flight, and nothing that an
//! earlier answer already settles (a per-query cache). No clock is read here: the caller
//! passes the instants, so tests run on made-up ones and `update` stays free of I/O.

use crate::calendar::PersonMatch;
use crate::calendar::people;
use std::collections::VecDeque;
use std::time::{Duration, Instant};

pub(crate) const DEBOUNCE: Duration = Duration::from_millis(250);

/// Answers kept; the oldest goes first. A few dozen cover the names typed in one form.
const CACHE: usize = 32;

/// A query as sent and as compared: the service matches without regard to case.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Query {
    text: String,
    key: String,
}

impl Query {
    fn new(text: &str) -> Option<Query> {
        let text = people::query(text)?;
        let key = text.to_lowercase();
        Some(Query { text, key })
    }
}

#[derive(Debug, Clone)]
struct InFlight {
    id: u64,
    query: Query,
    /// Asked before the last `reset`: its answer is still worth caching, but its failure
    /// says nothing about what is allowed now.
    before_reset: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Completion {
    /// What the attendee under the cursor asks for; None when it is too short.
    current: Option<Query>,
    /// When the pause after the last change ends.
    due: Option<Instant>,
    /// The pause ended while a request was in flight: ask as soon as it returns.
    waiting: bool,
    in_flight: Option<InFlight>,
    last_asked: Option<String>,
    next_id: u64,
    cache: VecDeque<(String, Vec<PersonMatch>)>,
    shown: Vec<PersonMatch>,
    selected: Option<usize>,
    error: Option<String>,
    /// The keys of what `take` just put in the field, which need no completing.
    taken: Vec<String>,
}

impl Default for Completion {
    fn default() -> Self {
        Self::new()
    }
}

impl Completion {
    pub(crate) fn new() -> Self {
        Completion {
            current: None,
            due: None,
            waiting: false,
            in_flight: None,
            last_asked: None,
            next_id: 1,
            cache: VecDeque::new(),
            shown: Vec::new(),
            selected: None,
            error: None,
            taken: Vec::new(),
        }
    }

    /// The text of the attendee under the cursor changed; returns when the caller should
    /// call `on_timer` (None: nothing to ask, e.g. shorter than
    /// [`people::MIN_QUERY_CHARS`], or answered from the per-prefix cache immediately).
    pub(crate) fn on_input(&mut self, text: &str, now: Instant) -> Option<Instant> {
        let Some(query) = Query::new(text) else {
            self.forget_text();
            return None;
        };
        if self.current.as_ref() == Some(&query) {
            return self.due;
        }
        if self.taken.contains(&query.key) {
            self.forget_text();
            return None;
        }
        self.taken.clear();
        self.selected = None;
        self.waiting = false;
        self.due = None;
        self.current = Some(query.clone());
        if let Some(found) = self.cached(&query) {
            self.shown = found;
            return None;
        }
        // Nothing is shown until this text's own answer: a list for other letters would
        // offer people who do not match what is typed.
        self.shown.clear();
        if self.error.is_some() {
            return None;
        }
        let due = now + DEBOUNCE;
        self.due = Some(due);
        Some(due)
    }

    /// Time passed; `Some((request_id, query))` when a request should start now: the pause
    /// ended, the query differs from the last one asked, and none is in flight (if one is,
    /// the newest query is asked when its answer comes).
    pub(crate) fn on_timer(&mut self, now: Instant) -> Option<(u64, String)> {
        let due = self.due?;
        if now < due {
            return None;
        }
        self.due = None;
        if self.in_flight.is_some() {
            self.waiting = true;
            return None;
        }
        self.ask()
    }

    /// An answer arrived; one that is not for the current text is cached but not shown.
    /// Returns the follow-up request to start now, if a newer query waited meanwhile.
    pub(crate) fn on_answer(
        &mut self,
        request_id: u64,
        matches: Vec<PersonMatch>,
        now: Instant,
    ) -> Option<(u64, String)> {
        let flight = self.in_flight.take_if(|f| f.id == request_id)?;
        self.remember(flight.query.key.clone(), matches.clone());
        let current = self.current.clone()?;
        if current.key == flight.query.key {
            self.shown = matches;
            self.selected = None;
            self.waiting = false;
            return None;
        }
        // The newer text may be settled by what just came back.
        if let Some(found) = self.cached(&current) {
            self.shown = found;
            self.waiting = false;
            self.due = None;
            return None;
        }
        let paused = self.waiting || self.due.is_some_and(|d| now >= d);
        if !paused {
            return None;
        }
        self.waiting = false;
        self.due = None;
        self.ask()
    }

    /// The request failed (e.g. no permission): nothing more is asked until `reset`; the
    /// reason is kept for the screen. Only a request made before the last `reset` can
    /// fail without that; then, as after an answer, the follow-up to start now if a newer
    /// query waited for it.
    pub(crate) fn on_error(&mut self, request_id: u64, why: String) -> Option<(u64, String)> {
        let flight = self.in_flight.take_if(|f| f.id == request_id)?;
        if flight.before_reset {
            if !std::mem::take(&mut self.waiting) {
                return None;
            }
            return self.ask();
        }
        self.error = Some(why);
        self.due = None;
        self.waiting = false;
        self.shown.clear();
        self.selected = None;
        None
    }

    /// What to show for the current text.
    pub(crate) fn matches(&self) -> &[PersonMatch] {
        &self.shown
    }

    pub(crate) fn selected(&self) -> Option<usize> {
        self.selected
    }

    /// Down: the next match, round to the first.
    pub(crate) fn select_next(&mut self) {
        let n = self.shown.len();
        if n == 0 {
            return;
        }
        self.selected = Some(self.selected.map_or(0, |i| (i + 1) % n));
    }

    /// Up: the previous match, round to the last.
    pub(crate) fn select_prev(&mut self) {
        let n = self.shown.len();
        if n == 0 {
            return;
        }
        self.selected = Some(self.selected.map_or(n - 1, |i| (i + n - 1) % n));
    }

    /// The selected (or first) match; the list is cleared, and the text the caller puts
    /// in the field for it (the address or the name) is not searched for again.
    pub(crate) fn take(&mut self) -> Option<PersonMatch> {
        let chosen = self.shown.get(self.selected.unwrap_or(0)).cloned()?;
        self.forget_text();
        self.taken = [&chosen.address, &chosen.name]
            .into_iter()
            .filter_map(|t| Query::new(t))
            .map(|q| q.key)
            .collect();
        Some(chosen)
    }

    /// When the pause after the last change ends (`on_timer` is due then), if one runs.
    pub(crate) fn due(&self) -> Option<Instant> {
        self.due
    }

    /// The field lost focus: the pause running for its text asks nothing when it ends.
    pub(crate) fn pause(&mut self) {
        self.due = None;
    }

    pub(crate) fn in_flight(&self) -> bool {
        self.in_flight.is_some()
    }

    /// A request for the current text is out or about to go (for a "searching…" line).
    pub(crate) fn searching(&self) -> bool {
        self.current.is_some() && self.shown.is_empty() && (self.in_flight() || self.waiting)
    }

    pub(crate) fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// Starts over (a new attendee, or a permission granted): the error and the list go.
    /// The cache stays, as answers do not change with that; a request still out stays
    /// counted, so a new one waits for it.
    pub(crate) fn reset(&mut self) {
        self.forget_text();
        self.error = None;
        self.last_asked = None;
        if let Some(f) = &mut self.in_flight {
            f.before_reset = true;
        }
    }

    fn forget_text(&mut self) {
        self.current = None;
        self.due = None;
        self.waiting = false;
        self.shown.clear();
        self.selected = None;
        self.taken.clear();
    }

    fn ask(&mut self) -> Option<(u64, String)> {
        if self.error.is_some() {
            return None;
        }
        let query = self.current.clone()?;
        if self.last_asked.as_ref() == Some(&query.key) {
            return None;
        }
        let id = self.next_id;
        self.next_id += 1;
        self.last_asked = Some(query.key.clone());
        let text = query.text.clone();
        self.in_flight = Some(InFlight {
            id,
            query,
            before_reset: false,
        });
        Some((id, text))
    }

    fn remember(&mut self, key: String, matches: Vec<PersonMatch>) {
        self.cache.retain(|(k, _)| *k != key);
        if self.cache.len() >= CACHE {
            self.cache.pop_front();
        }
        self.cache.push_back((key, matches));
    }

    /// The answer for `query`: its own, or a shorter query's that was complete (fewer than
    /// [`people::TOP`] matches, so the service had no more), narrowed here.
    fn cached(&self, query: &Query) -> Option<Vec<PersonMatch>> {
        if let Some((_, m)) = self.cache.iter().find(|(k, _)| *k == query.key) {
            return Some(m.clone());
        }
        let (_, base) = self
            .cache
            .iter()
            .filter(|(k, m)| query.key.starts_with(k.as_str()) && m.len() < people::TOP as usize)
            .max_by_key(|(k, _)| k.len())?;
        Some(
            base.iter()
                .filter(|m| matches_words(m, &query.key))
                .cloned()
                .collect(),
        )
    }
}

/// Every word of `key` (lowercase) begins a word of the name or the address, or the whole
/// of either (`megan@con` is typed as one word).
fn matches_words(m: &PersonMatch, key: &str) -> bool {
    let name = m.name.to_lowercase();
    let address = m.address.to_lowercase();
    let words: Vec<&str> = name
        .split(|c: char| !c.is_alphanumeric())
        .chain(address.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect();
    key.split_whitespace().all(|k| {
        name.starts_with(k) || address.starts_with(k) || words.iter().any(|w| w.starts_with(k))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(t0: Instant, n: u64) -> Instant {
        t0 + Duration::from_millis(n)
    }

    fn person(name: &str, address: &str) -> PersonMatch {
        PersonMatch {
            name: name.into(),
            address: address.into(),
            external: false,
            from: crate::calendar::Source::People,
        }
    }

    fn megans() -> Vec<PersonMatch> {
        vec![
            person("Megan Bowen", "MeganB@contoso.com"),
            person("Miriam Graham", "MiriamG@contoso.com"),
        ]
    }

    #[test]
    fn typing_faster_than_the_pause_asks_once_for_the_last_text() {
        let t0 = Instant::now();
        let mut c = Completion::new();
        let mut due = None;
        for (i, text) in ["me", "meg", "mega", "megan"].iter().enumerate() {
            let now = ms(t0, 100 * i as u64);
            due = c.on_input(text, now);
            assert_eq!(due, Some(now + DEBOUNCE));
            // The timer set for an earlier keystroke fires and asks nothing.
            assert_eq!(c.on_timer(now + Duration::from_millis(99)), None);
        }
        assert_eq!(c.on_timer(due.unwrap()), Some((1, "megan".into())));
        assert!(c.in_flight());
        assert_eq!(c.on_timer(ms(t0, 2000)), None);
    }

    #[test]
    fn short_text_asks_nothing_and_clears_the_list() {
        let t0 = Instant::now();
        let mut c = Completion::new();
        assert_eq!(c.on_input("m", t0), None);
        assert_eq!(c.on_input("  m ", t0), None);
        assert_eq!(c.on_timer(ms(t0, 1000)), None);
        let due = c.on_input("mi", t0).unwrap();
        let (id, _) = c.on_timer(due).unwrap();
        c.on_answer(id, megans(), due);
        assert_eq!(c.matches().len(), 2);
        assert_eq!(c.on_input("m", due), None);
        assert!(c.matches().is_empty());
    }

    #[test]
    fn one_in_flight_and_the_newest_text_is_asked_when_it_returns_stale_unshown() {
        let t0 = Instant::now();
        let mut c = Completion::new();
        let due = c.on_input("me", t0).unwrap();
        let (first, q) = c.on_timer(due).unwrap();
        assert_eq!(q, "me");
        // Typed on while "me" is out: the pause ends, but nothing more is asked yet.
        let due2 = c.on_input("meg", ms(t0, 300)).unwrap();
        assert_eq!(c.on_timer(due2), None);
        let due3 = c.on_input("mega", ms(t0, 700)).unwrap();
        assert_eq!(c.on_timer(due3), None);
        assert!(c.in_flight());
        // Eight answers: the service may have more, so "mega" cannot be settled locally.
        let full: Vec<PersonMatch> = (0..people::TOP)
            .map(|i| person(&format!("Mega {i}"), &format!("mega{i}@contoso.com")))
            .collect();
        let next = c.on_answer(first, full, ms(t0, 800));
        assert_eq!(next, Some((2, "mega".into())));
        // The "me" answer was not for the current text.
        assert!(c.matches().is_empty());
        assert!(c.searching());
        assert_eq!(c.on_answer(2, megans()[..1].to_vec(), ms(t0, 900)), None);
        assert_eq!(c.matches(), &megans()[..1]);
        assert!(!c.in_flight());
        // Back to "me": its answer was kept, so it is shown without asking.
        assert_eq!(c.on_input("me", ms(t0, 1000)), None);
        assert_eq!(c.matches().len(), people::TOP as usize);
    }

    #[test]
    fn an_answer_while_the_newest_text_still_pauses_waits_for_the_pause() {
        let t0 = Instant::now();
        let mut c = Completion::new();
        let due = c.on_input("al", t0).unwrap();
        let (id, _) = c.on_timer(due).unwrap();
        let due2 = c.on_input("alexander", ms(t0, 260)).unwrap();
        let full: Vec<PersonMatch> = (0..people::TOP)
            .map(|i| person(&format!("Al {i}"), &format!("al{i}@contoso.com")))
            .collect();
        assert_eq!(c.on_answer(id, full, ms(t0, 300)), None);
        assert_eq!(c.on_timer(due2), Some((2, "alexander".into())));
    }

    #[test]
    fn a_complete_answer_settles_longer_text_without_asking() {
        let t0 = Instant::now();
        let mut c = Completion::new();
        assert_eq!(c.on_input("M", t0), None);
        let due = c.on_input("Me", t0).unwrap();
        let (id, q) = c.on_timer(due).unwrap();
        assert_eq!(q, "Me");
        c.on_answer(id, megans(), due);
        // Exact, in another case.
        assert_eq!(c.on_input("me", ms(t0, 400)), None);
        assert_eq!(c.matches().len(), 2);
        // Narrowed by word starts of the name or the address.
        assert!(c.on_input("mi", ms(t0, 500)).is_some());
        assert_eq!(c.on_input("megan b", ms(t0, 600)), None);
        assert_eq!(c.matches(), &megans()[..1]);
        assert_eq!(c.on_input("meganb@con", ms(t0, 700)), None);
        assert_eq!(c.matches(), &megans()[..1]);
        assert!(c.on_input("gra", ms(t0, 800)).is_some());
        assert_eq!(c.on_input("meg graham", ms(t0, 900)), None);
        assert!(c.matches().is_empty());
        assert!(!c.in_flight());
    }

    #[test]
    fn an_error_stops_asking_until_reset() {
        let t0 = Instant::now();
        let mut c = Completion::new();
        let due = c.on_input("ad", t0).unwrap();
        let (id, _) = c.on_timer(due).unwrap();
        // An id that is not out is ignored.
        assert_eq!(c.on_error(id + 7, "nope".into()), None);
        assert_eq!(c.error(), None);
        assert_eq!(c.on_error(id, "needs People.Read".into()), None);
        assert_eq!(c.error(), Some("needs People.Read"));
        assert!(!c.in_flight());
        assert_eq!(c.on_input("ade", ms(t0, 500)), None);
        assert_eq!(c.on_timer(ms(t0, 2000)), None);
        c.reset();
        assert_eq!(c.error(), None);
        let due = c.on_input("ade", ms(t0, 3000)).unwrap();
        assert_eq!(c.on_timer(due), Some((2, "ade".into())));
    }

    #[test]
    fn reset_keeps_counting_a_request_still_out() {
        let t0 = Instant::now();
        let mut c = Completion::new();
        let due = c.on_input("ad", t0).unwrap();
        let (old, _) = c.on_timer(due).unwrap();
        c.reset();
        let due = c.on_input("jo", ms(t0, 400)).unwrap();
        assert_eq!(c.on_timer(due), None);
        // The old one failing says nothing about now; the waiting text goes out.
        assert_eq!(c.on_error(old, "gone".into()), Some((2, "jo".into())));
        assert_eq!(c.error(), None);
        let due = c.on_input("joh", ms(t0, 900)).unwrap();
        assert_eq!(c.on_timer(due), None);
        assert_eq!(c.on_answer(2, Vec::new(), ms(t0, 1000)), None);
        // "jo" had no matches at all, so "joh" has none either, without asking.
        assert!(c.matches().is_empty());
        assert!(!c.searching());
    }

    #[test]
    fn selection_wraps_and_take_returns_it_and_does_not_search_it_again() {
        let t0 = Instant::now();
        let mut c = Completion::new();
        let due = c.on_input("mi", t0).unwrap();
        let (id, _) = c.on_timer(due).unwrap();
        c.on_answer(id, megans(), due);
        assert_eq!(c.selected(), None);
        c.select_prev();
        assert_eq!(c.selected(), Some(1));
        c.select_next();
        assert_eq!(c.selected(), Some(0));
        c.select_next();
        let taken = c.take().unwrap();
        assert_eq!(taken.address, "MiriamG@contoso.com");
        assert!(c.matches().is_empty());
        assert_eq!(c.on_input("MiriamG@contoso.com", ms(t0, 1000)), None);
        assert!(!c.in_flight());
        assert_eq!(c.take(), None);
    }
}
