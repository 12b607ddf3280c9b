using System.Globalization;
using Kefu.Server.Realtime;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kefu.UnitTests.Console;

/// <summary>
/// A live event re-renders a console circuit on the publisher's thread context; the circuit must still render in its
/// agent's language, so each subscriber is handed its events in the culture it subscribed with.
/// </summary>
public sealed class ConsoleNotifierCultureTests
{
    [Fact]
    public async Task Subscriber_GetsEventsInItsOwnCulture_NotThePublishers()
    {
        var notifier = new ConsoleNotifier(NullLogger<ConsoleNotifier>.Instance);
        var tenant = Guid.NewGuid();
        var seen = new TaskCompletionSource<(string Culture, string UICulture)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var (culture, uiCulture) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("zh-CN");
            using var subscription = notifier.Subscribe(tenant, _ =>
            {
                seen.TrySetResult((CultureInfo.CurrentCulture.Name, CultureInfo.CurrentUICulture.Name));
                return Task.CompletedTask;
            });

            await Task.Run(() =>
            {
                CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("en");
                notifier.Publish(new ConsoleEvent.QueueChanged(tenant));
            });

            Assert.Equal(("zh-CN", "zh-CN"), await seen.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, uiCulture);
        }
    }
}
