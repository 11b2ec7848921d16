//! Placeholder: filled by the emulator work.
