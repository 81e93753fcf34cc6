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
    /// The address of a reverse proxy in front of the server, whose
    /// X-Forwarded-For header names the client (repeat for several). Without
    /// it the header is ignored: the login throttle and the audit log use the
    /// connection's address.
    #[arg(long = "trusted-proxy", value_name = "IP", env = "BIGHEALTH_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// The SMTP server reminders are mailed through: smtp://host:25,
    /// smtp://user:password@host:587?tls=required (STARTTLS) or smtps://host:465.
    /// Without it reminders go only to the plans' group robots.
    #[arg(long, value_name = "URL", env = "BIGHEALTH_SMTP")]
    pub smtp: Option<String>,
    /// The sender of reminder e-mails.
    #[arg(long, value_name = "ADDRESS", env = "BIGHEALTH_MAIL_FROM", default_value = "bighealth@localhost")]
    pub mail_from: String,
    /// Connections the server keeps open at once; one more is answered 503.
    #[arg(long, default_value_t = 1024, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,
    #[command(flatten)]
    pub db: Database,
}

/// Runs `bighealth serve`.
pub async fn run(args: ServeArgs) -> ExitCode {
    let store = match args.db.open().await {
        Ok(s) => s,
        Err(e) => return exit_for(&e),
    };
    let options = Options {
        secure_cookies: args.secure_cookies,
        trusted_proxies: args.trusted_proxies,
        max_connections: args.max_connections as usize,
        clock: Clock::default(),
        smtp: args.smtp,
        mail_from: args.mail_from,
    };
    serve(store, args.listen, options).await
}

/// How the server is set up beyond its address.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Mark the session cookie Secure.
    pub secure_cookies: bool,
    /// Reverse proxies whose X-Forwarded-For is believed.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Connections open at once (0: the default).
    pub max_connections: usize,
    /// The server's clock (the real time by default; the demo's stands in
    /// its plans' years).
    pub clock: Clock,
    /// The SMTP server for reminders.
    pub smtp: Option<String>,
    /// The sender of reminder e-mails.
    pub mail_from: String,
}

/// How long requests in flight may finish after Ctrl-C or SIGTERM.
const GRACE: std::time::Duration = std::time::Duration::from_secs(3);

/// Serves `store` on `listen` until Ctrl-C or SIGTERM (the requests in
/// flight get [`GRACE`] to finish).
pub async fn serve(store: Store, listen: SocketAddr, options: Options) -> ExitCode {
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
    let signal = shutdown();
    println!("serving on http://{addr} (API description: http://{addr}/api/openapi.json); Ctrl-C stops");
    let notifier = match bighealth_server::notify::Notifier::new(options.smtp.as_deref(), &options.mail_from) {
        Ok(n) => n,
        Err(e) => {
            eprintln!("bighealth: {e}");
            return ExitCode::from(2);
        }
    };
    let mut state = AppState::new(store.clone(), options.clock, options.secure_cookies);
    state.notifier = std::sync::Arc::new(notifier);
    state.trusted_proxies = options.trusted_proxies.into();
    if options.max_connections > 0 {
        state.limits.connections = options.max_connections;
    }
    // Supervision's round: reminders near a deadline, escalation past it, each hour.
    let (round_store, round_clock) = (store.clone(), state.clock.clone());
    tokio::spawn(async move {
        let mut hourly = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            hourly.tick().await;
            if let Err(e) = round_store.supervision_sweep(round_clock.now()).await {
                eprintln!("bighealth: supervision's hourly round failed: {e}");
            }
        }
    });
    let (signalled, on_signal) = tokio::sync::oneshot::channel::<()>();
    let graceful = async move {
        signal.await;
        let _ = signalled.send(());
    };
    let serving = bighealth_server::serve(state, listener, graceful);
    tokio::pin!(serving);
    let result = tokio::select! {
        r = &mut serving => r,
        // Requests still running a few seconds after the signal (a slow
        // upload, a long import) do not hold the server: it stops without
        // them. Each change is one transaction, so nothing half-written stays.
        _ = async {
            if on_signal.await.is_ok() {
                tokio::time::sleep(GRACE).await;
            } else {
                std::future::pending::<()>().await;
            }
        } => {
            eprintln!("bighealth: requests still running {} s after the signal; stopping without them", GRACE.as_secs());
            std::process::exit(0);
        }
    };
    store.close().await;
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bighealth: the server stopped: {e}");
            ExitCode::from(1)
        }
    }
}

/// Ctrl-C or SIGTERM. The handlers are installed at once (before the
/// server says it is serving), so that a signal sent right after is not the
/// process's end without its shutdown.
fn shutdown() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let term = signal(SignalKind::terminate());
        let int = signal(SignalKind::interrupt());
        async move {
            match (term, int) {
                (Ok(mut term), Ok(mut int)) => {
                    tokio::select! {
                        _ = term.recv() => {},
                        _ = int.recv() => {},
                    }
                }
                _ => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    async move {
        let _ = tokio::signal::ctrl_c().await;
    }
}
