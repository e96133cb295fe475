#!/usr/bin/env python3
"""A minimal, fast SMTP sink for benchmarks: whole replies in one write, message discarded.

Prints its port on stdout. Loopback only. Not a test server: no TLS, no AUTH.
"""
import asyncio, signal, socket

signal.pthread_sigmask(signal.SIG_SETMASK, [])


async def session(reader, writer):
    writer.write(b"220 sink ESMTP\r\n")
    in_data = False
    while True:
        line = await reader.readline()
        if not line:
            break
        if in_data:
            if line == b".\r\n":
                in_data = False
                writer.write(b"250 2.0.0 Ok: queued\r\n")
            continue
        verb = line[:4].upper()
        if verb == b"EHLO":
            writer.write(b"250-sink\r\n250-PIPELINING\r\n250-SIZE 104857600\r\n250-8BITMIME\r\n250 HELP\r\n")
        elif verb == b"DATA":
            in_data = True
            writer.write(b"354 go ahead\r\n")
        elif verb == b"QUIT":
            writer.write(b"221 bye\r\n")
            await writer.drain()
            break
        else:
            writer.write(b"250 ok\r\n")
        await writer.drain()
    writer.close()


async def main():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    server = await asyncio.start_server(session, sock=sock, limit=1 << 20)
    print(sock.getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()

asyncio.run(main())
