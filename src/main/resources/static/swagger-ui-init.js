// Swagger UI over the hand-written OpenAPI document (see dev.tellus.web.ApiDocument).
window.ui = SwaggerUIBundle({url: "/v3/api-docs", dom_id: "#swagger-ui", deepLinking: true});
