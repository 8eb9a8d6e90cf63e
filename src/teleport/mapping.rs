//! How Teleport's desktop audit events and tdpr's metadata and events map
//! onto each other (`spec/conversion.md` §3.2, §3.4, §4.2).
//!
//! Why it exists: import and export must agree on one mapping. Going in, a
//! session start becomes the metadata, and session end, clipboard and
//! shared-directory events become tdpr events; each keeps the event's
//! original bytes (`teleport_start_event`, `teleport_event`), so that going
//! out gives back exactly what came in. Events that never came from Teleport
//! are built from tdpr's fields.

use prost::Message as _;

use super::event_view::{unix_us, EventView};
use super::proto::events::{self, one_of::Event as Member};
use crate::proto::{Event, EventKind, Metadata};

/// Reads a clipboard send or receive (two messages, the same fields).
macro_rules! clipboard_in {
    ($event:ident, $kind:ident, $message:ident) => {{
        $event.kind = EventKind::$kind as i32;
        $event.user = $message.user.unwrap_or_default().user;
        $event.length = $message.length.max(0) as u64;
    }};
}

/// Reads a shared-directory read or write (two messages, the same fields).
macro_rules! directory_io_in {
    ($event:ident, $kind:ident, $message:ident) => {{
        $event.kind = EventKind::$kind as i32;
        $event.user = $message.user.unwrap_or_default().user;
        $event.directory_name = $message.directory_name;
        $event.directory_id = $message.directory_id;
        $event.path = $message.path;
        $event.length = u64::from($message.length);
        $event.offset = $message.offset;
        $event.failed = !$message.status.unwrap_or_default().success;
    }};
}

/// Builds a Windows or Linux session start or end: four messages that share
/// their desktop fields and differ in the login's name and a few more.
macro_rules! session_out {
    ($facts:ident, $index:ident, $message:ident, $login:ident, $type:literal, $code:literal,
     $unix_us:expr, $($field:ident: $value:expr),* $(,)?) => {{
        #[allow(clippy::needless_update)]
        let member = Member::$message(events::$message {
            metadata: Some($facts.event_metadata($index, $type, $code, $unix_us)),
            session: Some($facts.session()),
            connection: Some($facts.connection()),
            desktop_addr: $facts.metadata.desktop_addr.clone(),
            $login: $facts.metadata.login.clone(),
            desktop_labels: $facts.metadata.labels.clone(),
            desktop_name: $facts.metadata.desktop_name.clone(),
            $($field: $value,)*
            ..Default::default()
        });
        member
    }};
}

/// Builds a clipboard send or receive.
macro_rules! clipboard_out {
    ($facts:ident, $event:ident, $index:ident, $unix_us:ident, $message:ident, $type:literal, $code:literal) => {
        Member::$message(events::$message {
            metadata: Some($facts.event_metadata($index, $type, $code, $unix_us)),
            user: Some($facts.user(&$event.user)),
            session: Some($facts.session()),
            connection: Some($facts.connection()),
            desktop_addr: $facts.metadata.desktop_addr.clone(),
            length: $event.length.min(i32::MAX as u64) as i32,
            desktop_name: $facts.metadata.desktop_name.clone(),
        })
    };
}

/// Builds a shared-directory read or write.
macro_rules! directory_io_out {
    ($facts:ident, $event:ident, $index:ident, $unix_us:ident, $message:ident, $type:literal, $codes:expr) => {
        Member::$message(events::$message {
            metadata: Some($facts.event_metadata(
                $index,
                $type,
                code($codes, $event.failed),
                $unix_us,
            )),
            user: Some($facts.user(&$event.user)),
            session: Some($facts.session()),
            connection: Some($facts.connection()),
            status: Some(events::Status {
                success: !$event.failed,
                ..events::Status::default()
            }),
            desktop_addr: $facts.metadata.desktop_addr.clone(),
            directory_name: $event.directory_name.clone(),
            directory_id: $event.directory_id,
            path: $event.path.clone(),
            length: $event.length.min(u32::MAX as u64) as u32,
            offset: $event.offset,
            desktop_name: $facts.metadata.desktop_name.clone(),
        })
    };
}

/// `OneOf` members of the session start events.
pub const WINDOWS_START: u32 = 59;
/// `OneOf` member of `LinuxDesktopSessionStart`.
pub const LINUX_START: u32 = 254;

/// Which kind of desktop a session was on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DesktopKind {
    /// A Windows desktop (RDP), `WindowsDesktopSessionStart`.
    Windows,
    /// A Linux desktop, `LinuxDesktopSessionStart`.
    Linux,
}

/// Whether a record's member is a session start.
pub fn is_start(member: u32) -> bool {
    member == WINDOWS_START || member == LINUX_START
}

/// The metadata a session start event gives (session, user, desktop,
/// labels), with the start event kept; `None` when `raw` is not a start
/// event prost can decode. The start time and the screen size come from
/// elsewhere.
pub fn metadata_from_start(raw: &[u8]) -> Option<(Metadata, DesktopKind)> {
    let event = events::OneOf::decode(raw).ok()?.event?;
    let mut metadata = Metadata {
        teleport_start_event: raw.to_vec(),
        ..Metadata::default()
    };
    let (common, kind) = match event {
        Member::WindowsDesktopSessionStart(start) => {
            metadata.login = start.windows_user;
            metadata.desktop_name = start.desktop_name;
            metadata.desktop_addr = start.desktop_addr;
            metadata.labels = start.desktop_labels;
            (
                (start.metadata, start.user, start.session),
                DesktopKind::Windows,
            )
        }
        Member::LinuxDesktopSessionStart(start) => {
            metadata.login = start.linux_user;
            metadata.desktop_name = start.desktop_name;
            metadata.desktop_addr = start.desktop_addr;
            metadata.labels = start.desktop_labels;
            (
                (start.metadata, start.user, start.session),
                DesktopKind::Linux,
            )
        }
        _ => return None,
    };
    let (event_metadata, user, session) = common;
    metadata.cluster = event_metadata.unwrap_or_default().cluster_name;
    let user = user.unwrap_or_default();
    metadata.user = user.user;
    if metadata.login.is_empty() {
        metadata.login = user.login;
    }
    metadata.session_id = session.unwrap_or_default().session_id;
    Some((metadata, kind))
}

/// The tdpr event of a Teleport event other than a recording or a session
/// start, and the wall-clock time (µs since the epoch) it happened, if
/// known. Members this version does not know, and events prost cannot
/// decode, become `EVENT_KIND_UNSPECIFIED` labelled with their type; every
/// event keeps its original bytes.
pub fn event_from_teleport(raw: &[u8], view: &EventView<'_>) -> (Event, Option<i64>) {
    let mut event = Event {
        kind: EventKind::Unspecified as i32,
        label: view.event_type.to_string(),
        teleport_event: raw.to_vec(),
        ..Event::default()
    };
    let mut time_us = view.time_unix_us;
    let Some(member) = events::OneOf::decode(raw).ok().and_then(|e| e.event) else {
        return (event, time_us);
    };
    event.label.clear();
    let user = |u: Option<events::UserMetadata>| u.unwrap_or_default().user;
    let failed = |s: Option<events::Status>| !s.unwrap_or_default().success;
    match member {
        Member::WindowsDesktopSessionEnd(end) => {
            event.kind = EventKind::SessionEnd as i32;
            event.user = user(end.user);
            time_us = end.end_time.as_ref().and_then(timestamp_us).or(time_us);
        }
        Member::LinuxDesktopSessionEnd(end) => {
            event.kind = EventKind::SessionEnd as i32;
            event.user = user(end.user);
            time_us = end.end_time.as_ref().and_then(timestamp_us).or(time_us);
        }
        Member::DesktopClipboardSend(send) => clipboard_in!(event, ClipboardSend, send),
        Member::DesktopClipboardReceive(receive) => clipboard_in!(event, ClipboardReceive, receive),
        Member::DesktopSharedDirectoryStart(start) => {
            event.kind = EventKind::SharedDirectoryStart as i32;
            event.user = user(start.user);
            event.directory_name = start.directory_name;
            event.directory_id = start.directory_id;
            event.failed = failed(start.status);
        }
        Member::DesktopSharedDirectoryRead(read) => {
            directory_io_in!(event, SharedDirectoryRead, read)
        }
        Member::DesktopSharedDirectoryWrite(write) => {
            directory_io_in!(event, SharedDirectoryWrite, write)
        }
        // A start or a recording reaching here is a second one: kept as is.
        Member::WindowsDesktopSessionStart(_)
        | Member::LinuxDesktopSessionStart(_)
        | Member::DesktopRecording(_) => event.label = view.event_type.to_string(),
    }
    (event, time_us)
}

fn timestamp_us(timestamp: &events::Timestamp) -> Option<i64> {
    unix_us(timestamp.seconds, timestamp.nanos)
}

/// A Teleport timestamp of `unix_us` microseconds since the epoch.
pub fn timestamp(unix_us: i64) -> events::Timestamp {
    events::Timestamp {
        seconds: unix_us.div_euclid(1_000_000),
        nanos: (unix_us.rem_euclid(1_000_000) * 1_000) as i32,
    }
}

/// What an export needs to build Teleport events that never came from
/// Teleport.
#[derive(Debug, Clone)]
pub struct SessionFacts<'a> {
    /// The recording's metadata.
    pub metadata: &'a Metadata,
    /// Windows or Linux (from the kept start event; Windows otherwise).
    pub desktop: DesktopKind,
}

impl SessionFacts<'_> {
    /// The `Metadata` of a built event: `ID` derived from the session and
    /// the index, so that the same recording exports the same bytes.
    fn event_metadata(
        &self,
        index: i64,
        event_type: &str,
        code: &str,
        unix_us: i64,
    ) -> events::Metadata {
        let namespace = uuid::Uuid::new_v5(
            &uuid::Uuid::NAMESPACE_URL,
            self.metadata.session_id.as_bytes(),
        );
        events::Metadata {
            index,
            r#type: event_type.to_string(),
            id: uuid::Uuid::new_v5(&namespace, &index.to_be_bytes()).to_string(),
            code: code.to_string(),
            time: Some(timestamp(unix_us)),
            cluster_name: self.metadata.cluster.clone(),
        }
    }

    fn user(&self, user: &str) -> events::UserMetadata {
        events::UserMetadata {
            user: if user.is_empty() {
                self.metadata.user.clone()
            } else {
                user.to_string()
            },
            login: self.metadata.login.clone(),
            ..events::UserMetadata::default()
        }
    }

    fn session(&self) -> events::SessionMetadata {
        events::SessionMetadata {
            session_id: self.metadata.session_id.clone(),
            ..events::SessionMetadata::default()
        }
    }

    fn connection(&self) -> events::ConnectionMetadata {
        events::ConnectionMetadata {
            remote_addr: self.metadata.desktop_addr.clone(),
            protocol: "tdp".into(),
            ..events::ConnectionMetadata::default()
        }
    }

    /// A session start built from the metadata.
    pub fn start_event(&self, index: i64) -> Vec<u8> {
        let member = match self.desktop {
            DesktopKind::Windows => session_out!(
                self, index, WindowsDesktopSessionStart, windows_user,
                "windows.desktop.session.start", "TDP00I", self.metadata.start_time_unix_us,
                status: Some(events::Status { success: true, ..events::Status::default() }),
                user: Some(self.user("")),
            ),
            DesktopKind::Linux => session_out!(
                self, index, LinuxDesktopSessionStart, linux_user,
                "linux.desktop.session.start", "", self.metadata.start_time_unix_us,
                status: Some(events::Status { success: true, ..events::Status::default() }),
                user: Some(self.user("")),
            ),
        };
        encode(member)
    }

    /// The Teleport event of a tdpr event that did not come from Teleport,
    /// at `unix_us`; `None` for kinds Teleport has no event for (markers,
    /// joins, leaves, unknown kinds).
    pub fn event(&self, event: &Event, index: i64, unix_us: i64) -> Option<Vec<u8>> {
        let m = self.metadata;
        let kind = EventKind::try_from(event.kind).ok()?;
        let status = || {
            Some(events::Status {
                success: !event.failed,
                ..events::Status::default()
            })
        };
        let member = match kind {
            EventKind::SessionEnd => {
                let user = self.user(&event.user);
                match self.desktop {
                    DesktopKind::Windows => session_out!(
                        self, index, WindowsDesktopSessionEnd, windows_user,
                        "windows.desktop.session.end", "TDP01I", unix_us,
                        start_time: Some(timestamp(m.start_time_unix_us)),
                        end_time: Some(timestamp(unix_us)),
                        recorded: true,
                        participants: vec![user.user.clone()],
                        user: Some(user),
                    ),
                    DesktopKind::Linux => session_out!(
                        self, index, LinuxDesktopSessionEnd, linux_user,
                        "linux.desktop.session.end", "", unix_us,
                        start_time: Some(timestamp(m.start_time_unix_us)),
                        end_time: Some(timestamp(unix_us)),
                        recorded: true,
                        participants: vec![user.user.clone()],
                        user: Some(user),
                    ),
                }
            }
            EventKind::ClipboardSend => clipboard_out!(
                self,
                event,
                index,
                unix_us,
                DesktopClipboardSend,
                "desktop.clipboard.send",
                "TDP02I"
            ),
            EventKind::ClipboardReceive => clipboard_out!(
                self,
                event,
                index,
                unix_us,
                DesktopClipboardReceive,
                "desktop.clipboard.receive",
                "TDP03I"
            ),
            EventKind::SharedDirectoryStart => {
                Member::DesktopSharedDirectoryStart(events::DesktopSharedDirectoryStart {
                    metadata: Some(self.event_metadata(
                        index,
                        "desktop.directory.share",
                        code(["TDP04I", "TDP04W"], event.failed),
                        unix_us,
                    )),
                    user: Some(self.user(&event.user)),
                    session: Some(self.session()),
                    connection: Some(self.connection()),
                    status: status(),
                    desktop_addr: m.desktop_addr.clone(),
                    directory_name: event.directory_name.clone(),
                    directory_id: event.directory_id,
                    desktop_name: m.desktop_name.clone(),
                })
            }
            EventKind::SharedDirectoryRead => directory_io_out!(
                self,
                event,
                index,
                unix_us,
                DesktopSharedDirectoryRead,
                "desktop.directory.read",
                ["TDP05I", "TDP05W"]
            ),
            EventKind::SharedDirectoryWrite => directory_io_out!(
                self,
                event,
                index,
                unix_us,
                DesktopSharedDirectoryWrite,
                "desktop.directory.write",
                ["TDP06I", "TDP06W"]
            ),
            EventKind::Unspecified
            | EventKind::SessionJoin
            | EventKind::SessionLeave
            | EventKind::Marker => return None,
        };
        Some(encode(member))
    }
}

/// The event code of a success (`…I`) or a failure (`…W`).
fn code(codes: [&'static str; 2], failed: bool) -> &'static str {
    codes[usize::from(failed)]
}

fn encode(member: Member) -> Vec<u8> {
    events::OneOf {
        event: Some(member),
    }
    .encode_to_vec()
}
