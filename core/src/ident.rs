//! Identifiers users type: SKUs, document numbers (`SO-00001`), warehouse codes and names.

use std::fmt;
use std::str::FromStr;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum IdentError {
    #[error("SKU is empty")]
    EmptySku,
    #[error("SKU '{0}' may only contain letters, digits, '-', '_', '.' and '/'")]
    BadSku(String),
    #[error("SKU '{0}' is longer than 64 characters")]
    LongSku(String),
    #[error("'{0}' is not a document number (expected e.g. SO-00001, PO-00001, PR-00001, BILL-00001, PKG-00001, INV-00001)")]
    BadDocNumber(String),
    #[error("'{input}' is not a {expected} number (e.g. {example})")]
    WrongDocKind {
        input: String,
        expected: &'static str,
        example: String,
    },
    #[error("{what} must not be empty")]
    EmptyName { what: &'static str },
    #[error("{what} is longer than {max} characters")]
    LongName { what: &'static str, max: usize },
    #[error("{what} must not contain control characters")]
    ControlChars { what: &'static str },
    #[error("'{0}' is not an e-mail address")]
    BadEmail(String),
    #[error("'{0}' is not a PAN (five letters, four digits, one letter, e.g. ABCDE1234F)")]
    BadPan(String),
    #[error("warehouse code '{0}' may only contain letters, digits, '-' and '_' (at most 32)")]
    BadWarehouseCode(String),
}

/// User input as shown inside an error message: control characters escaped (so the message stays
/// one line) and anything past 60 characters cut, so a 10,000-character cell gives a readable error.
pub fn excerpt(s: &str) -> String {
    const MAX: usize = 60;
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i == MAX {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// A stock-keeping unit: letters, digits, `-`, `_`, `.`, `/`; at most 64 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sku(String);

impl Sku {
    pub fn parse(s: &str) -> Result<Self, IdentError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(IdentError::EmptySku);
        }
        if s.chars().count() > 64 {
            return Err(IdentError::LongSku(excerpt(s)));
        }
        if !s
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
        {
            return Err(IdentError::BadSku(excerpt(s)));
        }
        Ok(Self(s.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Sku {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Validates a free-text name (vendor, customer, item, warehouse): trimmed, non-empty, no control
/// characters, bounded length. Returns the trimmed name.
pub fn validate_name(s: &str, what: &'static str) -> Result<String, IdentError> {
    let t = s.trim();
    if t.is_empty() {
        return Err(IdentError::EmptyName { what });
    }
    validate_text(t, what, 200)
}

/// Validates optional free text (addresses, notes, reasons): no control characters other than
/// newline and tab, bounded length.
pub fn validate_text(s: &str, what: &'static str, max: usize) -> Result<String, IdentError> {
    if s.chars().count() > max {
        return Err(IdentError::LongName { what, max });
    }
    if s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(IdentError::ControlChars { what });
    }
    Ok(s.trim().to_string())
}

/// Warehouse code: letters, digits, `-`, `_`; 1–32 characters; stored upper-case.
pub fn validate_warehouse_code(s: &str) -> Result<String, IdentError> {
    let t = s.trim();
    if t.is_empty()
        || t.len() > 32
        || !t
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(IdentError::BadWarehouseCode(excerpt(s)));
    }
    Ok(t.to_ascii_uppercase())
}

/// The kinds of numbered documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocKind {
    SalesOrder,
    PurchaseOrder,
    Receipt,
    Bill,
    Package,
    Invoice,
}

impl DocKind {
    pub const ALL: [DocKind; 6] = [
        DocKind::SalesOrder,
        DocKind::PurchaseOrder,
        DocKind::Receipt,
        DocKind::Bill,
        DocKind::Package,
        DocKind::Invoice,
    ];
    /// What people call it.
    pub fn name(self) -> &'static str {
        match self {
            DocKind::SalesOrder => "sales order",
            DocKind::PurchaseOrder => "purchase order",
            DocKind::Receipt => "purchase receive",
            DocKind::Bill => "bill",
            DocKind::Package => "package",
            DocKind::Invoice => "invoice",
        }
    }

    pub fn prefix(self) -> &'static str {
        match self {
            DocKind::SalesOrder => "SO",
            DocKind::PurchaseOrder => "PO",
            DocKind::Receipt => "PR",
            DocKind::Bill => "BILL",
            DocKind::Package => "PKG",
            DocKind::Invoice => "INV",
        }
    }
}

/// A document number such as `SO-00012`: the kind and the document's id. Parsing is lenient about
/// case and zero padding (`so-12` is `SO-00012`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DocNumber {
    pub kind: DocKind,
    pub id: i64,
}

impl DocNumber {
    pub fn new(kind: DocKind, id: i64) -> Self {
        Self { kind, id }
    }
    /// Parses a number that must be of `kind`.
    pub fn parse_kind(s: &str, kind: DocKind) -> Result<Self, IdentError> {
        match s.parse::<DocNumber>() {
            Ok(d) if d.kind == kind => Ok(d),
            Ok(_) => Err(IdentError::WrongDocKind {
                input: excerpt(s),
                expected: kind.name(),
                example: DocNumber::new(kind, 1).to_string(),
            }),
            Err(e) => Err(e),
        }
    }
}

impl FromStr for DocNumber {
    type Err = IdentError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || IdentError::BadDocNumber(excerpt(s));
        let (prefix, digits) = s.trim().split_once('-').ok_or_else(bad)?;
        let kind = DocKind::ALL
            .into_iter()
            .find(|k| k.prefix().eq_ignore_ascii_case(prefix))
            .ok_or_else(bad)?;
        if digits.is_empty() || digits.len() > 15 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let id: i64 = digits.parse().map_err(|_| bad())?;
        if id <= 0 {
            return Err(bad());
        }
        Ok(Self { kind, id })
    }
}

impl fmt::Display for DocNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:05}", self.kind.prefix(), self.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skus() {
        for ok in ["A1", "widget-2", "box_10", "x.y/z", "ÄRM-1"] {
            assert!(Sku::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["", " ", "a b", "a,b", "=1+1", "a\"b", "tab\tx"] {
            assert!(Sku::parse(bad).is_err(), "{bad}");
        }
        assert!(matches!(
            Sku::parse(&"a".repeat(65)),
            Err(IdentError::LongSku(_))
        ));
    }

    #[test]
    fn doc_numbers_parse_leniently_and_print_canonically() {
        let d: DocNumber = "so-12".parse().unwrap_or(DocNumber::new(DocKind::Bill, 0));
        assert_eq!(d, DocNumber::new(DocKind::SalesOrder, 12));
        assert_eq!(d.to_string(), "SO-00012");
        assert_eq!(
            DocNumber::new(DocKind::Bill, 123_456).to_string(),
            "BILL-123456"
        );
        for bad in [
            "SO",
            "SO-",
            "SO-0",
            "XX-1",
            "SO-1a",
            "SO--1",
            "12",
            "SO-99999999999999999999",
        ] {
            assert!(bad.parse::<DocNumber>().is_err(), "{bad}");
        }
        assert!(DocNumber::parse_kind("PO-1", DocKind::SalesOrder).is_err());
    }

    #[test]
    fn names_and_codes() {
        assert_eq!(validate_name("  Acme  ", "vendor name"), Ok("Acme".into()));
        assert!(validate_name("   ", "vendor name").is_err());
        assert!(validate_name("a\0b", "vendor name").is_err());
        assert!(validate_name(&"x".repeat(201), "vendor name").is_err());
        assert_eq!(validate_warehouse_code("east-1"), Ok("EAST-1".into()));
        assert!(validate_warehouse_code("a b").is_err());
    }
}

/// Light e-mail check: empty, or one `@` with text on both sides and no spaces.
pub fn validate_email(s: &str) -> Result<String, IdentError> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(String::new());
    }
    match t.split_once('@') {
        Some((a, b))
            if !a.is_empty()
                && b.contains('.')
                && !b.contains('@')
                && !t.contains(char::is_whitespace) =>
        {
            Ok(t.to_string())
        }
        _ => Err(IdentError::BadEmail(excerpt(t))),
    }
}

/// Indian PAN: five letters, four digits, one letter (stored upper-case).
pub fn validate_pan(s: &str) -> Result<String, IdentError> {
    let t = s.trim().to_ascii_uppercase();
    let b = t.as_bytes();
    let ok = b.len() == 10
        && b[..5].iter().all(u8::is_ascii_uppercase)
        && b[5..9].iter().all(u8::is_ascii_digit)
        && b[9].is_ascii_uppercase();
    if ok {
        Ok(t)
    } else {
        Err(IdentError::BadPan(excerpt(s.trim())))
    }
}

#[cfg(test)]
mod contact_tests {
    use super::*;

    #[test]
    fn emails_and_pans() {
        assert_eq!(validate_email(""), Ok(String::new()));
        assert!(validate_email("a@b.in").is_ok());
        for bad in ["ab", "a@b", "@b.in", "a b@c.in", "a@b@c.in"] {
            assert!(validate_email(bad).is_err(), "{bad}");
        }
        assert_eq!(validate_pan("abcde1234f"), Ok("ABCDE1234F".into()));
        for bad in ["ABCDE1234", "ABCD11234F", "ABCDE12345"] {
            assert!(validate_pan(bad).is_err(), "{bad}");
        }
    }
}
