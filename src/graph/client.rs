//! Placeholder: filled by the Graph client work.
