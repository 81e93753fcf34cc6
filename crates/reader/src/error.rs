//! Why a document could not be read.

/// A document that cannot be read at all. (A document that can be read but
/// holds nothing recognisable gives an empty reading with a finding instead.)
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file could not be opened or read.
    #[error("cannot read the file: {0}")]
    Io(#[from] std::io::Error),
    /// Zero bytes, or only blanks.
    #[error("the file is empty")]
    Empty,
    /// Bytes that are no text and no known document format.
    #[error("this is a binary file, not a plan document ({0}); give a .txt, .docx, .html or .xlsx file")]
    Binary(String),
    /// Text in an encoding that is neither UTF-8/16 nor GB18030/GBK.
    #[error("the text is in an unknown encoding (not UTF-8, UTF-16 or GB18030/GBK); save it as UTF-8 and try again")]
    UnknownEncoding,
    /// A format we recognise but do not read.
    #[error("{0}")]
    Unsupported(String),
    /// A `.docx`/`.xlsx` that is damaged or truncated.
    #[error("the {kind} file is damaged or truncated: {detail}; open it in Word/WPS/Excel and save it again")]
    Corrupt {
        /// `.docx` or `.xlsx`.
        kind: &'static str,
        /// What is wrong.
        detail: String,
    },
    /// More than a limit allows (file size, inflated size, entry count).
    #[error("{what} exceeds the limit of {limit}; a plan document is far smaller, so bighealth stops here")]
    TooLarge {
        /// What was too large.
        what: String,
        /// The limit, readable.
        limit: String,
    },
    /// XML that declares entities (a DOCTYPE); never expanded.
    #[error(
        "{part} declares XML entities (a DOCTYPE), which bighealth never expands; save the document again from Word/Excel"
    )]
    XmlEntities {
        /// The part inside the package.
        part: String,
    },
}
