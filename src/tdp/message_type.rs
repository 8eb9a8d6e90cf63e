//! The first byte of every legacy TDP message.
//!
//! Why an open newtype rather than an enum: recordings outlive the code that
//! reads them. A type code this crate does not know must still be carried,
//! compared and printed, so any `u8` is a valid `MessageType`; the named
//! constants are the codes Teleport defines (`lib/srv/desktop/tdp/protocol/
//! legacy/proto.go`, web client `codec.ts`).

use serde::{Deserialize, Serialize};
use std::fmt;

/// A legacy TDP message type code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MessageType(pub u8);

macro_rules! message_types {
    ($($(#[$doc:meta])* $name:ident = $code:literal, $label:literal;)*) => {
        impl MessageType {
            $($(#[$doc])* pub const $name: MessageType = MessageType($code);)*

            /// Every code Teleport defines, in numeric order.
            pub const KNOWN: &'static [MessageType] = &[$(MessageType::$name),*];

            /// Snake-case name of a known code (as used in JSON), `None` otherwise.
            pub fn name(self) -> Option<&'static str> {
                match self.0 {
                    $($code => Some($label),)*
                    _ => None,
                }
            }

            /// The code whose [`name`](Self::name) is `label`.
            pub fn from_name(label: &str) -> Option<MessageType> {
                match label {
                    $($label => Some(MessageType::$name),)*
                    _ => None,
                }
            }
        }
    };
}

message_types! {
    /// 1, client to server: view size.
    CLIENT_SCREEN_SPEC = 1, "client_screen_spec";
    /// 2, server to client: PNG image of a region, no length field.
    PNG_FRAME = 2, "png_frame";
    /// 3, client to server: pointer position.
    MOUSE_MOVE = 3, "mouse_move";
    /// 4, client to server: mouse button.
    MOUSE_BUTTON = 4, "mouse_button";
    /// 5, client to server: key by scan code.
    KEYBOARD_BUTTON = 5, "keyboard_button";
    /// 6, both ways: clipboard contents.
    CLIPBOARD_DATA = 6, "clipboard_data";
    /// 7, client to server: Windows user name.
    CLIENT_USERNAME = 7, "client_username";
    /// 8, client to server: scroll.
    MOUSE_WHEEL = 8, "mouse_wheel";
    /// 9, server to client: fatal error text (superseded by 28, still decoded).
    ERROR = 9, "error";
    /// 10, both ways: MFA challenge or response as JSON.
    MFA = 10, "mfa";
    /// 11, client to server: offer a shared directory.
    SHARED_DIRECTORY_ANNOUNCE = 11, "shared_directory_announce";
    /// 12, server to client: accept or refuse a shared directory.
    SHARED_DIRECTORY_ACKNOWLEDGE = 12, "shared_directory_acknowledge";
    /// 13, server to client.
    SHARED_DIRECTORY_INFO_REQUEST = 13, "shared_directory_info_request";
    /// 14, client to server.
    SHARED_DIRECTORY_INFO_RESPONSE = 14, "shared_directory_info_response";
    /// 15, server to client.
    SHARED_DIRECTORY_CREATE_REQUEST = 15, "shared_directory_create_request";
    /// 16, client to server.
    SHARED_DIRECTORY_CREATE_RESPONSE = 16, "shared_directory_create_response";
    /// 17, server to client.
    SHARED_DIRECTORY_DELETE_REQUEST = 17, "shared_directory_delete_request";
    /// 18, client to server.
    SHARED_DIRECTORY_DELETE_RESPONSE = 18, "shared_directory_delete_response";
    /// 19, server to client.
    SHARED_DIRECTORY_READ_REQUEST = 19, "shared_directory_read_request";
    /// 20, client to server.
    SHARED_DIRECTORY_READ_RESPONSE = 20, "shared_directory_read_response";
    /// 21, server to client.
    SHARED_DIRECTORY_WRITE_REQUEST = 21, "shared_directory_write_request";
    /// 22, client to server.
    SHARED_DIRECTORY_WRITE_RESPONSE = 22, "shared_directory_write_response";
    /// 23, server to client.
    SHARED_DIRECTORY_MOVE_REQUEST = 23, "shared_directory_move_request";
    /// 24, client to server.
    SHARED_DIRECTORY_MOVE_RESPONSE = 24, "shared_directory_move_response";
    /// 25, server to client.
    SHARED_DIRECTORY_LIST_REQUEST = 25, "shared_directory_list_request";
    /// 26, client to server.
    SHARED_DIRECTORY_LIST_RESPONSE = 26, "shared_directory_list_response";
    /// 27, server to client: PNG image of a region, with a length field.
    PNG2_FRAME = 27, "png2_frame";
    /// 28, server to client: message with severity (Teleport's older name: notification).
    ALERT = 28, "alert";
    /// 29, server to client: raw RDP fast-path update PDU.
    RDP_FAST_PATH_PDU = 29, "rdp_fast_path_pdu";
    /// 30, client to server: raw RDP PDU in answer.
    RDP_RESPONSE_PDU = 30, "rdp_response_pdu";
    /// 31, server to client: RDP channel ids and screen size
    /// (Teleport's Go name: `TypeRDPConnectionInitialized`).
    RDP_CONNECTION_ACTIVATED = 31, "rdp_connection_activated";
    /// 32, client to server: lock-key state.
    SYNC_KEYS = 32, "sync_keys";
    /// 33, server to client.
    SHARED_DIRECTORY_TRUNCATE_REQUEST = 33, "shared_directory_truncate_request";
    /// 34, client to server.
    SHARED_DIRECTORY_TRUNCATE_RESPONSE = 34, "shared_directory_truncate_response";
    /// 35, server to client: measured latencies.
    LATENCY_STATS = 35, "latency_stats";
    /// 36, proxy and desktop service only: latency probe.
    PING = 36, "ping";
    /// 37, client to server: keyboard layout id.
    CLIENT_KEYBOARD_LAYOUT = 37, "client_keyboard_layout";
    /// 38, server to client: switch this connection to TDPB.
    UPGRADE = 38, "upgrade";
}

impl fmt::Display for MessageType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => write!(f, "{} ({name})", self.0),
            None => write!(f, "{} (unknown)", self.0),
        }
    }
}
