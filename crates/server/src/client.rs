//! Who is asking: the client's address, for the login throttle and the
//! audit log. Behind a reverse proxy every connection comes from the proxy;
//! its `X-Forwarded-For` names the client, but any client can send that
//! header too. So the header is believed only on a connection from one of
//! the proxies the server was told to trust (`bighealth serve
//! --trusted-proxy`), and then only its last address not itself a trusted
//! proxy: the one the nearest trusted proxy saw.

use crate::AppState;
use axum::extract::ConnectInfo;
use axum::http::{Extensions, HeaderMap};
use std::net::{IpAddr, SocketAddr};

/// The client's address: the connection's peer, or for a connection from a
/// trusted proxy the address its `X-Forwarded-For` names. `None` without a
/// connection (a request built in a test).
pub fn address(state: &AppState, headers: &HeaderMap, extensions: &Extensions) -> Option<IpAddr> {
    let peer = extensions.get::<ConnectInfo<SocketAddr>>()?.0.ip();
    if !state.trusted_proxies.contains(&peer) {
        return Some(peer);
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|a| a.trim().parse::<IpAddr>().ok())
        .collect::<Option<Vec<_>>>()
        .unwrap_or_default();
    Some(forwarded.into_iter().rev().find(|a| !state.trusted_proxies.contains(a)).unwrap_or(peer))
}

/// [`address`] as the audit log writes it.
pub fn written(state: &AppState, headers: &HeaderMap, extensions: &Extensions) -> String {
    address(state, headers, extensions).map(|a| a.to_string()).unwrap_or_else(|| "unknown".into())
}

/// The client's address as an extractor, for handlers.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub IpAddr);

impl axum::extract::FromRequestParts<AppState> for ClientAddr {
    type Rejection = crate::error::ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<ClientAddr, Self::Rejection> {
        Ok(ClientAddr(address(state, &parts.headers, &parts.extensions).unwrap_or(IpAddr::from([0, 0, 0, 0]))))
    }
}
