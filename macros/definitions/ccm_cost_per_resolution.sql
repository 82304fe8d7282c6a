{#- Cost per resolution (METRICS.md "Cost"). A resolved issue is a contact chain handled by an
    agent that was first-contact-resolved, or a bot resolution as METRICS.md's
    bot_resolution_rate counts it: a bot session that ended without handoff (resolved or
    dropped), in both cases with no repeat within the FCR window: an issue that comes back is
    not resolved, however it ended. Censored interactions (is_resolved null: window not over
    at the end of the data) are not resolutions yet. -#}

{#- 1 when the interaction is a resolved issue, else 0; arguments are the columns of
    int_customer_interactions_fcr_flagged (is_resolved: one of its is_resolved_<window>). -#}
{% macro ccm_is_resolved_issue(interaction_type, is_handled, bot_outcome, is_resolved) -%}
    case
        when
            {{ is_resolved }}
            and (
                ({{ interaction_type }} = 'contact_chain' and {{ is_handled }})
                or ({{ interaction_type }} = 'bot_session' and {{ bot_outcome }} != 'handoff')
            )
            then 1
        else 0
    end
{%- endmacro %}

{#- Total cost / resolved issues; null, not 0 or an error, when nothing was resolved. -#}
{% macro ccm_cost_per_resolution(total_cost, resolved_issues) -%}
    {{ ccm_safe_divide(total_cost, resolved_issues) }}
{%- endmacro %}

{#- The published cost columns of both cost marts, from additive columns already summed to the
    mart's grain: the parts cast to their contract types, then every ratio computed the same
    way in both marts. Renders a list of select expressions. -#}
{% macro ccm_cost_metric_columns() -%}
    {%- for column in [
        'labor_cost', 'telephony_cost', 'bot_platform_cost', 'ai_platform_cost', 'other_cost',
        'total_cost', 'human_cost', 'ai_cost',
    ] %}
    cast({{ column }} as double) as {{ column }},
    {%- endfor %}
    {%- for column in [
        'contacts', 'resolved_issues', 'human_resolved_issues', 'bot_resolved_issues',
        'customers_served',
    ] %}
    cast({{ column }} as bigint) as {{ column }},
    {%- endfor %}
    cast({{ ccm_safe_divide('total_cost', 'contacts') }} as double) as cost_per_contact,
    cast({{ ccm_cost_per_resolution('total_cost', 'resolved_issues') }} as double)
        as cost_per_resolution,
    cast({{ ccm_safe_divide('total_cost', 'customers_served') }} as double) as cost_per_user,
    cast({{ ccm_cost_per_resolution('human_cost', 'human_resolved_issues') }} as double)
        as human_cost_per_resolution,
    cast({{ ccm_cost_per_resolution('ai_cost', 'bot_resolved_issues') }} as double)
        as ai_cost_per_resolution
{%- endmacro %}
