{#- Every card, for the home page's filters; already made inert for HTML (paging.cards_script). -#}
{{ script|safe }}