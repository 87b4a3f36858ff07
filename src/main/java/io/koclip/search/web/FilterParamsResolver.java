package io.koclip.search.web;

import io.koclip.search.search.InvalidRequestException;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Reads {@link FilterParams} straight from the request parameters. Spring MVC would bind the record as
 * a model attribute through {@code DataBinder}'s constructor binding, which looks up the constructor's
 * parameter annotations and nullness by reflection on every request: in a profile of the cached text
 * search over HTTP (16 connections, docs/benchmarks.md section 13) that binding took 12-19% of the request
 * thread's time, more than the search itself. Same parameters, same meaning: a blank number is absent,
 * {@code format} may repeat, and a number that is not one is 400 {@code invalid-parameter} naming it.
 * The OpenAPI document still describes the record's fields ({@code @ParameterObject}).
 *
 * <p>Thread-safe: stateless.
 */
@Configuration(proxyBeanMethods = false)
class FilterParamsResolver implements HandlerMethodArgumentResolver, WebMvcConfigurer {

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(this); // consulted before Spring's catch-all model attribute binding
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == FilterParams.class;
    }

    @Override
    public FilterParams resolveArgument(
            MethodParameter parameter,
            @Nullable ModelAndViewContainer container,
            NativeWebRequest request,
            @Nullable WebDataBinderFactory binders) {
        String[] formats = request.getParameterValues("format");
        return new FilterParams(
                request.getParameter("folder"),
                integer(request, "minWidth"),
                integer(request, "minHeight"),
                request.getParameter("modifiedFrom"),
                request.getParameter("modifiedTo"),
                formats == null ? null : Arrays.asList(formats));
    }

    private static @Nullable Integer integer(NativeWebRequest request, String name) {
        String value = request.getParameter(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            throw new InvalidRequestException(name, "'" + value + "' is not an integer");
        }
    }
}
