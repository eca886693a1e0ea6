//! Integration tests of xabar-relate: the sample corpus, the seed articles, and properties.

mod common;
mod properties;
mod resume;
mod samples;
mod seeds;
