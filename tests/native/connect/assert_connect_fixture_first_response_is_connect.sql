{{ config(enabled=('connect' in var('source_systems', ['landing']))) }}

{#- The record carries no first agent message: first_response_at is the agent connect, and
    the canonical union says which system each fixture contact came from. Returns the
    contacts that break either. -#}

select
    contacts.contact_id,
    contacts.first_response_at,
    contacts.connected_at,
    contacts.source_system
from {{ ref('stg_acd__contacts') }} as contacts
where
    contacts.contact_id like 'cnx-%'
    and (
        contacts.source_system <> 'connect'
        or coalesce(contacts.first_response_at, cast('1900-01-01' as timestamp))
        <> coalesce(contacts.connected_at, cast('1900-01-01' as timestamp))
    )
