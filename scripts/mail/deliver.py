"""SMTP server for the e-mail channel's tests: each recipient's mail lands in its own Maildir.

Run with Debian's interpreter (/usr/bin/python3), which sees python3-aiosmtpd:
    deliver.py PORT ROOT
writes a message for ``name+tag@any.domain`` into ROOT/name/ (the part before ``+``, lower-cased), the layout
dovecot serves with ``mail_location = maildir:ROOT/%n``. Plus addressing lands in the same mailbox, as it does at
real providers; that is how reply tokens reach the support mailbox.
"""
import asyncio
import mailbox
import os
import re
import sys

from aiosmtpd.controller import Controller

ROOT = sys.argv[2]
SAFE = re.compile(r"^[a-z0-9._-]{1,64}$")


class Deliver:
    async def handle_DATA(self, server, session, envelope):
        for rcpt in envelope.rcpt_tos:
            local = rcpt.split("@", 1)[0].split("+", 1)[0].lower()
            if not SAFE.match(local):
                return "550 mailbox name not allowed"
            path = os.path.join(ROOT, local)
            box = mailbox.Maildir(path, create=True)
            box.add(envelope.original_content)
            box.close()
        return "250 OK"


async def main(port):
    controller = Controller(Deliver(), hostname="127.0.0.1", port=port)
    controller.start()
    await asyncio.Event().wait()


if __name__ == "__main__":
    os.umask(0)  # dovecot runs as nobody and must read and move what we write
    asyncio.run(main(int(sys.argv[1])))
