package api

func (s *Server) roleRoutes() []Route { return nil }
