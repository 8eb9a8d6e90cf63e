//! `tdpr tdp decode|encode`: one TDP message between hex and JSON, so other
//! implementations can compare their codec with this one.

use std::io::Read;

use crate::print;
use crate::status::{CommandResult, Failure, Status};

/// `tdpr tdp decode HEX` (or `-` / nothing: hex on standard input): prints the
/// message as JSON. Fails unless the bytes are exactly one message.
pub fn decode(hex: Option<String>) -> CommandResult {
    let text = match hex.as_deref() {
        None | Some("-") => read_stdin()?,
        Some(text) => text.to_string(),
    };
    let bytes = parse_hex(&text)?;
    let (message, used) =
        tdpr::tdp::decode_any(&bytes).map_err(|e| Failure::InvalidInput(e.to_string()))?;
    if used != bytes.len() {
        return Err(Failure::InvalidInput(format!(
            "{} bytes follow the {used}-byte message",
            bytes.len() - used
        )));
    }
    let json = message
        .to_json()
        .map_err(|e| Failure::InvalidInput(e.to_string()))?;
    print::out(&(serde_json::to_string_pretty(&json).expect("JSON values serialize") + "\n"))?;
    Ok(Status::Success)
}

/// `tdpr tdp encode`: reads one message's JSON on standard input and prints
/// its bytes as hex.
pub fn encode() -> CommandResult {
    let value: serde_json::Value = serde_json::from_str(&read_stdin()?)
        .map_err(|e| Failure::InvalidInput(format!("bad JSON: {e}")))?;
    let bytes = tdpr::tdp::from_json(&value).map_err(|e| Failure::InvalidInput(e.to_string()))?;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    print::out(&(hex + "\n"))?;
    Ok(Status::Success)
}

fn read_stdin() -> Result<String, Failure> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| Failure::CannotRun(format!("cannot read standard input: {e}")))?;
    Ok(text)
}

/// Hex digits, white space ignored.
fn parse_hex(text: &str) -> Result<Vec<u8>, Failure> {
    let digits: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if !digits.len().is_multiple_of(2) {
        return Err(Failure::InvalidInput("an odd number of hex digits".into()));
    }
    digits
        .chunks(2)
        .map(|pair| {
            std::str::from_utf8(pair)
                .ok()
                .and_then(|s| u8::from_str_radix(s, 16).ok())
                .ok_or_else(|| {
                    Failure::InvalidInput(format!("not hex: {}", String::from_utf8_lossy(pair)))
                })
        })
        .collect()
}
