"""A local SMTP server and a local HTTP server that keep what they are
sent, for the reminder tests of crates/server/tests/reporting.rs.

    sinks.py DIR

prints {"smtp": PORT, "http": PORT} on one line once both listen, then
writes each mail to DIR/mail-N.json ({"from", "to", "subject", "body"})
and each POST to DIR/post-N.json ({"path", "body"}), until killed or its
standard input closes.
"""
import email
import email.policy
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller

out = sys.argv[1]
count = {"n": 0}
lock = threading.Lock()


def keep(kind, record):
    with lock:
        count["n"] += 1
        path = os.path.join(out, f"{kind}-{count['n']}.json")
    with open(path + ".part", "w", encoding="utf-8") as f:
        json.dump(record, f, ensure_ascii=False)
    os.replace(path + ".part", path)


class Mail:
    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        keep("mail", {"from": envelope.mail_from, "to": envelope.rcpt_tos, "subject": str(msg["subject"]),
                      "body": msg.get_content()})
        return "250 OK"


class Post(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        keep("post", {"path": self.path, "body": json.loads(body)})
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"errcode":0,"errmsg":"ok"}')

    def log_message(self, *args):
        pass


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


smtp_port = free_port()
smtp = Controller(Mail(), hostname="127.0.0.1", port=smtp_port)
smtp.start()
http = ThreadingHTTPServer(("127.0.0.1", 0), Post)
threading.Thread(target=http.serve_forever, daemon=True).start()
print(json.dumps({"smtp": smtp_port, "http": http.server_address[1]}), flush=True)
sys.stdin.read()
smtp.stop()
http.shutdown()
