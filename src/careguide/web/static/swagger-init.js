// Starts Swagger UI on the app's own OpenAPI document (kept out of the page: the CSP forbids inline scripts).
window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
