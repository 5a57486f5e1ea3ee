namespace Nscr.Gateway.Webhooks;

public static class WebhookExtensions
{
    public static WebApplicationBuilder AddNscrWebhooks(this WebApplicationBuilder builder)
    {
        var options = Hosting.ValidatedOptions.Read<WebhookOptions>(builder.Configuration, WebhookOptions.Section);
        foreach (var endpoint in options.Endpoints)
        {
            Hosting.ValidatedOptions.Validate(endpoint, $"{WebhookOptions.Section}:Endpoints");
        }
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<WebhookPublisher>();
        if (options.Endpoints.Count > 0) builder.Services.AddHostedService<WebhookDelivery>();
        return builder;
    }
}
