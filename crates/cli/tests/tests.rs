//! Tests of the `bighealth` binary, run as a user runs it.

mod extract;
mod layout;
mod platform;
