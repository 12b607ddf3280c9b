using System.Net.Sockets;
using System.Text;

namespace Kefu.IntegrationTests.Infrastructure;

/// <summary>
/// HTTP/1.1 over a bare socket, for requests no well-behaved client sends: a body shorter than its
/// Content-Length, or one that stops half-way and waits. The answer must come within the deadline.
/// </summary>
public static class RawHttp
{
    public static async Task<(int Status, string Body)> SendAsync(Uri server, string head, Func<Stream, Task> writeBody, TimeSpan deadline)
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(deadline);
        await client.ConnectAsync(server.Host, server.Port, timeout.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ReplaceLineEndings("\r\n") + "\r\n"), timeout.Token);
        try
        {
            await writeBody(stream);
        }
        catch (IOException)
        {
            // The server may answer and close before the body is written: what it answered is the point.
        }

        var response = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                response.Write(buffer, 0, read);
                if (IsComplete(response.ToArray()))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No complete answer within {deadline.TotalSeconds} s; received {response.Length} bytes.");
        }

        var text = Encoding.UTF8.GetString(response.ToArray());
        var status = int.Parse(text.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        return (status, text[(text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..]);
    }

    private static bool IsComplete(byte[] response)
    {
        var text = Encoding.ASCII.GetString(response);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }

        var length = text[..end].Split("\r\n").FirstOrDefault(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        return length is null
            ? text[..end].Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase) ? text.EndsWith("0\r\n\r\n", StringComparison.Ordinal) : true
            : response.Length - (end + 4) >= int.Parse(length.Split(':')[1].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
