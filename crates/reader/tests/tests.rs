//! Integration tests of the reader: one test binary, one module per concern.

mod common;
mod documents;
mod findings;
mod formats;
mod generality;
mod robustness;
mod seeds;
