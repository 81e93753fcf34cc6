//! `bighealth serve`: the HTTP server.

use crate::{Database, exit_for};
use bighealth_server::{AppState, Clock};
use bighealth_store::Store;
use std::net::SocketAddr;
use std::process::ExitCode;

/// Arguments of `bighealth serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080", env = "BIGHEALTH_LISTEN")]
    pub listen: SocketAddr,
    /// Mark the session cookie Secure (when clients reach the server over
    /// HTTPS, such as behind a TLS-terminating proxy).
    #[arg(long)]
    pub secure_cookies: bool,
    #[command(flatten)]
    pub db: Database,
}

/// Runs `bighealth serve`.
pub async fn run(args: ServeArgs) -> ExitCode {
    let store = match args.db.open().await {
        Ok(s) => s,
        Err(e) => return exit_for(&e),
    };
    serve(store, args.listen, args.secure_cookies).await
}

/// Serves `store` on `listen` until Ctrl-C or SIGTERM.
pub async fn serve(store: Store, listen: SocketAddr, secure_cookies: bool) -> ExitCode {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,bighealth_server=info")),
        )
        .with_writer(std::io::stderr)
        .try_init();
    let listener = match tokio::net::TcpListener::bind(listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!(
                "bighealth: cannot listen on {listen}: {e} (is another server using the port? pick another with --listen)"
            );
            return ExitCode::from(1);
        }
    };
    let addr = listener.local_addr().map(|a| a.to_string()).unwrap_or_else(|_| listen.to_string());
    println!("serving on http://{addr} (API description: http://{addr}/api/openapi.json); Ctrl-C stops");
    let state = AppState::new(store.clone(), Clock::default(), secure_cookies);
    let result = bighealth_server::serve(state, listener, shutdown()).await;
    store.close().await;
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bighealth: the server stopped: {e}");
            ExitCode::from(1)
        }
    }
}

async fn shutdown() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(t) => t,
            Err(_) => {
                let _ = ctrl_c.await;
                return;
            }
        };
        tokio::select! {
            _ = ctrl_c => {},
            _ = term.recv() => {},
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}
