//! A meeting as the emulator stores it, and how it is rendered as a Graph onlineMeeting.

pub struct StoredMeeting {
    pub id: String,
}
